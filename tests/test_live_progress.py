"""The live regression display (regress/live_progress.py): on a terminal a bar with tests
done, failures so far and the time left, failing runs' lines above it; off a terminal none
(pezo regress prints the plain line of every result)."""

import io

from rich.console import Console

from regress import live_progress, report
from tb.harness import Result


def _result(name: str, status: str) -> Result:
    return Result(name, 1, "verilator", status, 1.0, 10.0, "log",
                  "" if status == "pass" else "step 0: g_hat expected 1, actual 2")


def test_terminal_display_counts_tests_and_failures_and_prints_only_failures():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120, color_system=None)
    live = live_progress.LiveProgress(3, "run-x", console)
    results = [_result("a.A.x", "pass"), _result("b.B.y", "fail"), _result("c.C.z", "pass")]
    for i, r in enumerate(results, 1):
        live.result(r, report.progress_line(r, i, 3))
    live.close()
    text = out.getvalue()
    assert "3/3" in text and "1 failed" in text and "run-x" in text
    assert "FAIL    verilator b.B.y seed=1" in text and "a.A.x seed=1" not in text


def test_no_live_display_off_a_terminal():
    assert live_progress.for_terminal(5, "run", stream=io.StringIO()) is None
