"""The DUT's HDL parameters as the harness passed them (simulator-independent)."""

from __future__ import annotations

import json
import os


def dut_params() -> dict[str, int]:
    """Parameters of the build under test, from PEZO_PARAMS set by tb.harness."""
    raw = os.environ.get("PEZO_PARAMS")
    if raw is None:
        raise RuntimeError("PEZO_PARAMS is not set: run tests through tb.harness / pezo sim")
    return {k: int(v) for k, v in json.loads(raw).items()}
