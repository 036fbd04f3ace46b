"""Scoreboard: every step's loss+, loss-, g_hat and weight signature against the
fixed-point reference (ref_model.rtl_twin.Twin -> ref_model.step.fixed_step), bit for
bit, and every full weight read-back against the reference weights and their sha256
weights_hash (ref_model.trace).

Register reads arrive from the register monitor. A step's results are the group
STEP_COUNT, LOSS_P_LO/HI, LOSS_M_LO/HI, G_HAT, WSIG read after its step-done; the
group is checked when WSIG arrives, as step STEP_COUNT - 1. A block read of WDATA
after a read of STEP_COUNT is the weight vector after step STEP_COUNT - 1 (the
initial weights when STEP_COUNT is 0). The first mismatch names the step, the
quantity, expected and actual.

With the SystemC models (attachment train_dma) the event monitor also brings every
step's results as the step tap recorded them (a step_done event with a `trace` line):
checked the same way, and every step run must have one (check_phase).
"""

from __future__ import annotations

import numpy as np
from pyuvm import ConfigDB, uvm_subscriber

from ref_model import rtl_twin as T
from ref_model.trace import weights_hash
from tb.train.item import EngineEvent
from tb.train.settings import TrainSettings
from tb.train.trace_check import StepLine, difference

KEEP = 8  # expected records kept (read-backs look at most a few steps back)


def signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


class TrainScoreboard(uvm_subscriber):
    def build_phase(self):
        self.twin: T.Twin = ConfigDB().get(self, "", "TWIN")
        self.w_bits = self.twin.fmt.w_bits
        self.regs: dict[int, int] = {}
        self.expected: dict[int, T.StepRecord] = {}
        self.steps_checked = 0
        self.tap_steps = 0  # steps checked from the SystemC step tap's trace
        self.readbacks = 0
        self.mismatches = 0
        self.first_mismatch: str | None = None
        self.last_step = -1
        self.curve: list[tuple[int, float]] = []   # (step, (L+ + L-)/2) as the RTL reported
        self.last_readback: list[int] = []
        self.loss_scale = 2.0 ** -self.twin.shifts.loss_frac
        self.progress = TrainSettings.from_env().progress  # a file name, or ""
        self.stream = ConfigDB().get(self, "", "STREAM_CHECK")  # the DMA's, or None

    # ---------------------------------------------------------------- reference
    def record(self, t: int) -> T.StepRecord:
        while self.twin.t <= t:
            rec = self.twin.step()
            self.expected[rec.step] = rec
            for old in [k for k in self.expected if k < rec.step - KEEP]:
                del self.expected[old]
        if t not in self.expected:
            raise AssertionError(f"step {t}: reference record already discarded "
                                 "(checked out of order)")
        return self.expected[t]

    def theta_after(self, count: int) -> np.ndarray:
        return self.twin.theta0 if count == 0 else self.record(count - 1).theta

    # ---------------------------------------------------------------- checks
    def _fail(self, message: str) -> None:
        self.mismatches += 1
        if self.first_mismatch is None:
            self.first_mismatch = message
            self.logger.error(message)

    def write(self, obs):
        if isinstance(obs, EngineEvent):
            if obs.kind == "step_done" and "trace" in obs.info:
                self._check_results(obs.info["trace"])
                self.tap_steps += 1
        elif obs.kind == "read":
            self.regs[obs.addr] = obs.data
            if obs.addr == T.REG["WSIG"]:
                self._check_step()
        elif obs.kind == "block" and obs.addr == T.REG["WDATA"]:
            self._check_weights(obs.data)

    def _check_step(self) -> None:
        r = self.regs
        t = r[T.REG["STEP_COUNT"]] - 1
        if t < 0:
            self._fail("step results read while STEP_COUNT is 0 (no step completed)")
            return
        self._check_results(StepLine(
            t, r[T.REG["LOSS_P_LO"]] | r[T.REG["LOSS_P_HI"]] << 32,
            r[T.REG["LOSS_M_LO"]] | r[T.REG["LOSS_M_HI"]] << 32,
            signed(r[T.REG["G_HAT"]], 32), r[T.REG["WSIG"]]))
        self.steps_checked += 1

    def _check_results(self, got: StepLine) -> None:
        """One step's results (from the registers or the tap); the first report of a step
        extends the loss curve and the progress file."""
        problem = difference(self.record(got.step), got)
        if problem:
            self._fail(problem)
        if got.step <= self.last_step:
            return
        self.last_step = got.step
        self.curve.append((got.step, (got.loss_plus + got.loss_minus) / 2 * self.loss_scale))
        if self.progress and (got.step + 1) % 10 == 0:
            with open(self.progress, "a") as fh:  # closed at once: a reader tails it live
                fh.write(f"{got.step + 1} {self.curve[-1][1]:.6f} {self.mismatches}\n")

    def _check_weights(self, words: list[int]) -> None:
        count = self.regs.get(T.REG["STEP_COUNT"], 0)
        t = count - 1
        want = self.theta_after(count)
        got = np.array([signed(w, 32) for w in words], dtype=np.int64)
        self.last_readback = [int(v) for v in got]
        label = f"step {t}" if count else "initial weights"
        if got.size != want.size:
            self._fail(f"{label}: weight read-back of {got.size} words, expected {want.size}")
            return
        if weights_hash(got) != weights_hash(want):
            j = int(np.flatnonzero(got != want)[0])
            self._fail(f"{label}: weights_hash expected {weights_hash(want)}, actual "
                       f"{weights_hash(got)}; first difference theta[{j}] expected "
                       f"{int(want[j])}, actual {int(got[j])}")
        self.readbacks += 1

    @property
    def steps_verified(self) -> int:
        """Step checks made: from the registers, or from the tap where it saw more."""
        return max(self.steps_checked, self.tap_steps)

    def check_phase(self):
        assert self.steps_checked + self.tap_steps + self.readbacks > 0, (
            "scoreboard checked nothing")
        if self.stream:  # first: a wrong sample explains the wrong losses that follow
            self.stream.check(self.last_step + 1)
            assert self.tap_steps == self.last_step + 1, (
                f"the step tap recorded {self.tap_steps} steps, the engine ran "
                f"{self.last_step + 1}")
        assert self.mismatches == 0, (
            f"{self.mismatches} mismatches in {self.steps_verified} steps and "
            f"{self.readbacks} read-backs; first: {self.first_mismatch}")
        self.logger.info(f"{self.steps_verified} steps and {self.readbacks} weight read-backs "
                         f"matched the fixed-point reference bit for bit")
