"""The check of a step trace (tb/systemc/step_recorder.h, written by the native harness)
against the fixed-point reference, bit for bit: loss+, loss-, g_hat and the weight
signature of every step in order, then the weights read back after the last step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ref_model import rtl_twin as T

STEP = re.compile(r"step (-?\d+) loss_plus (\d+) loss_minus (\d+) g_hat (-?\d+) wsig (\d+)")


@dataclass(frozen=True)
class StepLine:
    """One step of a trace: the registers' values after step `step`."""

    step: int
    loss_plus: int
    loss_minus: int
    g_hat: int
    signature: int


def parse_step(line: str) -> StepLine:
    """A trace's step line; anything else is an AssertionError naming the line."""
    m = STEP.fullmatch(line)
    if not m:
        raise AssertionError(f"trace line '{line}' is not a step line")
    return StepLine(*(int(v) for v in m.groups()))


def steps(path: Path) -> list[StepLine]:
    """The step lines of a trace, in order (its theta line left out)."""
    return [parse_step(line) for line in Path(path).read_text().splitlines()
            if STEP.fullmatch(line)]


def difference(exp: T.StepRecord, got: StepLine) -> str | None:
    """The first of the four quantities that differs from the reference's, named."""
    for name, want, value in (("loss_plus", exp.loss_plus, got.loss_plus),
                              ("loss_minus", exp.loss_minus, got.loss_minus),
                              ("g_hat", exp.g_hat, got.g_hat),
                              ("weight signature", exp.signature, got.signature)):
        if want != value:
            return f"step {exp.step}: {name} expected {want}, actual {value}"
    return None


@dataclass(frozen=True)
class TraceResult:
    steps: int                 # steps the trace has, all checked
    mismatch: str | None       # the first difference, naming the step and the quantity
    theta: np.ndarray          # the weights read back (empty if the trace has none)


def check(twin: T.Twin, path: Path) -> TraceResult:
    """Every step line of the trace against twin.step(), then its theta line."""
    steps, mismatch, theta = 0, None, np.zeros(0, dtype=np.int64)
    for line in Path(path).read_text().splitlines():
        if line.startswith("theta"):
            theta = np.array([int(v) for v in line.split()[1:]], dtype=np.int64)
            continue
        if not STEP.fullmatch(line):
            return TraceResult(steps, f"trace line '{line}' is not a step or theta line", theta)
        got, exp = parse_step(line), twin.step()
        if got.step != exp.step:
            mismatch = mismatch or f"step {exp.step}: the trace's line is for step {got.step}"
        mismatch = mismatch or difference(exp, got)
        steps += 1
    if mismatch is None and not np.array_equal(theta, twin.theta):
        j = int(np.flatnonzero(theta != twin.theta)[0]) if theta.size == twin.theta.size else -1
        mismatch = (f"weights after step {twin.t - 1}: " + (
            f"theta[{j}] expected {int(twin.theta[j])}, actual {int(theta[j])}" if j >= 0 else
            f"{theta.size} read back, expected {twin.theta.size}"))
    return TraceResult(steps, mismatch, theta)
