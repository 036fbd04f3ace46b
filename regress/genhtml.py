"""HTML of a merged lcov tracefile by Debian's genhtml (package lcov, tools/bootstrap.sh):
one page per source file with its lines and branches coloured by their counts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tb.harness import REPO

TIMEOUT_S = 300


def command(info: Path, out_dir: Path, title: str) -> list[str] | None:
    """genhtml's command line (None when genhtml is not on PATH). Sources under the
    repository are named relative to it; a source that is not here (a Dask worker's path)
    is listed without its text instead of failing the page."""
    exe = shutil.which("genhtml")
    if exe is None:
        return None
    return [exe, str(info), "--output-directory", str(out_dir), "--branch-coverage",
            "--quiet", "--prefix", str(REPO), "--ignore-errors", "source", "--title", title]


def run(info: Path, out_dir: Path, title: str = "pezo") -> tuple[Path | None, str]:
    """(the HTML's index.html, or None; one line saying what happened)."""
    cmd = command(info, out_dir, title)
    if cmd is None:
        return None, "genhtml not found (install Debian's lcov): no HTML, the .info is written"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"genhtml took more than {TIMEOUT_S} s: no HTML"
    if proc.returncode != 0:
        first = (proc.stderr.strip().splitlines() or ["no message"])[0]
        return None, f"genhtml failed (exit status {proc.returncode}): {first}"
    return out_dir / "index.html", "genhtml"
