"""Is a surviving mutant equivalent to the original? A yosys SAT proof over a miter.

The original (gold) and the mutant (gate) go into one miter (`miter -equiv -flatten
-make_assert`: the assert is "every output equal"), asynchronous resets become
synchronous (`async2sync`, what `sat` models) and memories flops (`memory_map`); the
logic both sides share is merged (`opt_merge -share_all`: a 70,000-variable induction
step on the scale block becomes seconds). Then
`sat -tempinduct` from the all-zero state: a base case and an induction step up to
MAX_STEPS; a difference found there is checked again from reset (rst_ni low in the first
step, a bounded `sat -seq`), since the power-up state before reset is no state a test
sees. "equivalent" only when the induction proves the assert; "different" when a trace
from reset tells them apart (the survivor is a testbench gap); "unproved" when induction
does not close within MAX_STEPS or the time limit, or the difference needs the power-up
state (the survivor stays listed).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from regress.mutate_design import ORIGINAL, Mutation

MAX_STEPS = 24
RESET = "rst_ni"  # the blocks' asynchronous reset, active low (RTL conventions)
TIME_LIMIT_S = 90.0  # per mutant; the RNG array's multipliers and LFSR states take longer


@dataclass(frozen=True)
class Verdict:
    status: str   # equivalent | different | unproved
    detail: str   # the line of the yosys log that decided it
    log: str


def check(work: Path, top: str, mutation: Mutation) -> Verdict:
    """Prove mutant `mutation` of work/original.il equivalent to the original, or not."""
    folder = work / "equiv"
    folder.mkdir(exist_ok=True)
    base = (f"read_rtlil {ORIGINAL}; rename {top} gold; read_rtlil {ORIGINAL}; "
            f"mutate {mutation.args}; rename {top} gate; async2sync; memory_map; opt_clean; "
            f"miter -equiv -flatten -make_assert gold gate miter; hierarchy -top miter; "
            # the logic gold and gate share merged: only the mutant's cone is left to prove
            f"opt_expr; opt_merge -share_all; opt_clean; ")
    log = folder / f"mutant_{mutation.index:03}.log"
    verdict = _sat(base + f"sat -prove-asserts -set-init-zero -tempinduct "
                          f"-maxsteps {MAX_STEPS} miter", work, log, judge)
    if verdict.status != "different" or not reset_first(work):
        return verdict
    # yosys 0.23's -tempinduct takes no reset constraint (it then proves a difference
    # away), so a difference from the all-zero power-up state is checked again from reset
    log = folder / f"mutant_{mutation.index:03}_reset.log"
    return _sat(base + f"sat -prove-asserts -set-init-zero {reset_first(work)} "
                       f"-seq {MAX_STEPS} miter", work, log, judge_from_reset)


def _sat(script: str, work: Path, log: Path, verdict_of) -> Verdict:
    try:
        with open(log, "w") as handle:
            subprocess.run(["yosys", "-p", script], stdout=handle, stderr=subprocess.STDOUT,
                           cwd=work, timeout=TIME_LIMIT_S, check=False)
    except subprocess.TimeoutExpired:
        return Verdict("unproved", f"no answer within {TIME_LIMIT_S:.0f} s", str(log))
    return verdict_of(log.read_text(errors="replace"), str(log))


def reset_first(work: Path) -> str:
    """The constraint that starts a trace in reset, as every test does (none without
    the reset input)."""
    text = (work / ORIGINAL).read_text()
    return f"-set-at 1 in_{RESET} 0" if re.search(rf"^\s*wire (width \d+ )?input \d+ \\{RESET}$",
                                                   text, re.M) else ""


def judge_from_reset(text: str, log: str) -> Verdict:
    """The verdict of the bounded check from reset (`sat -seq`)."""
    if "SAT proof finished - model found: FAIL!" in text:
        return Verdict("different", f"a trace from reset tells them apart (within "
                                    f"{MAX_STEPS} cycles)", log)
    if "SAT proof finished - no model found: SUCCESS!" in text:
        return Verdict("unproved", f"equal for {MAX_STEPS} cycles from reset; they differ "
                                   "only from the all-zero power-up state before reset", log)
    return Verdict("unproved", "the bounded check from reset gave no answer", log)


def judge(text: str, log: str) -> Verdict:
    """The verdict in a `sat -tempinduct` log."""
    lines = [line.strip() for line in text.splitlines()]
    if any("Induction step proven: SUCCESS!" in line for line in lines):
        return Verdict("equivalent", f"induction proves every output equal "
                                     f"(within {MAX_STEPS} steps)", log)
    if any("model found for base case: FAIL" in line for line in lines):
        return Verdict("different", "the base case finds a trace from the all-zero "
                                    "state that tells them apart", log)
    return Verdict("unproved", f"induction did not close within {MAX_STEPS} steps", log)
