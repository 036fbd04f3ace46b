"""Is a surviving mutant equivalent to the original? A yosys SAT proof over a miter.

The original (gold) and the mutant (gate) go into one miter (`miter -equiv -flatten
-make_assert`: the assert is "every output equal"), asynchronous resets become
synchronous (`async2sync`, what `sat` models) and memories flops (`memory_map`); the
logic both sides share is merged (`opt_merge -share_all`: a 70,000-variable induction
step on the scale block becomes seconds). Then
`sat -tempinduct` from reset (the all-zero state with rst_ni low in the first step): a
base case and an induction step up to MAX_STEPS. "equivalent" only when the induction
proves the assert; "different" when the base case finds a trace that tells them apart
(the survivor is a testbench gap); "unproved" when induction does not close within
MAX_STEPS or the time limit (the bounded check found no difference; the survivor stays
listed).
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
    log = work / "equiv" / f"mutant_{mutation.index:03}.log"
    log.parent.mkdir(exist_ok=True)
    script = (f"read_rtlil {ORIGINAL}; rename {top} gold; read_rtlil {ORIGINAL}; "
              f"mutate {mutation.args}; rename {top} gate; async2sync; memory_map; opt_clean; "
              f"miter -equiv -flatten -make_assert gold gate miter; hierarchy -top miter; "
              # the logic gold and gate share merged: only the mutant's cone is left to prove
              f"opt_expr; opt_merge -share_all; opt_clean; "
              f"sat -prove-asserts -set-init-zero {reset_first(work)} -tempinduct "
              f"-maxsteps {MAX_STEPS} miter")
    try:
        with open(log, "w") as handle:
            subprocess.run(["yosys", "-p", script], stdout=handle, stderr=subprocess.STDOUT,
                           cwd=work, timeout=TIME_LIMIT_S, check=False)
    except subprocess.TimeoutExpired:
        return Verdict("unproved", f"no answer within {TIME_LIMIT_S:.0f} s", str(log))
    return judge(log.read_text(errors="replace"), str(log))


def reset_first(work: Path) -> str:
    """The base case starts in reset, as every test does: the all-zero power-up state
    before it is no state a test sees (lfsr's zero state is reachable only there)."""
    text = (work / ORIGINAL).read_text()
    return f"-set-at 1 in_{RESET} 0" if re.search(rf"^\s*wire (width \d+ )?input \d+ \\{RESET}$",
                                                   text, re.M) else ""


def judge(text: str, log: str) -> Verdict:
    """The verdict in a `sat -tempinduct` log."""
    lines = [line.strip() for line in text.splitlines()]
    if any("Induction step proven: SUCCESS!" in line for line in lines):
        return Verdict("equivalent", f"induction proves every output equal "
                                     f"(within {MAX_STEPS} steps)", log)
    if any("model found for base case: FAIL" in line for line in lines):
        return Verdict("different", "the base case finds a trace from reset that tells "
                                    "them apart", log)
    return Verdict("unproved", f"induction did not close within {MAX_STEPS} steps", log)
