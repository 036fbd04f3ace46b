"""metrics.json in the test's directory: what the regression report collects."""

from __future__ import annotations

import json
from pathlib import Path

METRICS_FILE = Path("metrics.json")  # the simulator runs in the test's own folder


def record(**values) -> None:
    """Merge values into metrics.json (a test may record in several phases)."""
    data = json.loads(METRICS_FILE.read_text()) if METRICS_FILE.exists() else {}
    data.update(values)
    METRICS_FILE.write_text(json.dumps(data, indent=1, sort_keys=True))
