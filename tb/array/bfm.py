"""Bus-functional model: the only code that touches the engine's signals.

One coroutine per clock at the falling edge: report the control event of the rising
edge just passed (inputs as driven, idle_o as it was during that clock), let the
stream sink drive m_ready_i and record a beat, then drive the next operation.
"""

from __future__ import annotations

from collections import deque

from tb.array.item import ArrayItem, CtrlObs, Op
from tb.common.clocked_bfm import ClockedBfm
from tb.common.perturbation_agent import PerturbationAgent

PULSES = {"step": "step", "replay": "replay", "poke_step": "step", "poke_replay": "replay"}


class ArrayBfm(ClockedBfm):
    IDLE_INPUTS = ("seed_we_i",)

    def __init__(self, dut, lanes: int, num_w: int):
        super().__init__(dut)
        self.lanes = lanes
        self.source = PerturbationAgent(dut, lanes, num_w)
        self.control, self.sink = self.source.control, self.source.sink
        self.sink.observers.append(self.publish)  # beats go out on the monitor's port too
        self.wait_left = 0
        self.idle_before = 1

    def started(self) -> None:
        self.idle_before = self.control.idle
        super().started()

    def entries(self, item: ArrayItem) -> list[Op]:
        return item.ops

    def sample(self) -> None:
        self._observe(self.idle_before)
        self.idle_before = self.control.idle
        self.sink.step(self.cycle)

    def drive(self, pending: deque[Op]) -> None:
        self._drive_idle()
        if pending:
            self._next(self.idle_before)

    def _next(self, idle: int) -> None:
        """Drive the head operation if it can go in this clock; pop it when done."""
        op = self.pending[0]
        if op.kind == "ready":
            self.sink.p_ready = op.p_ready
            self.pending.popleft()
            return
        if op.kind == "idle":
            self.wait_left = self.wait_left or op.cycles
            self.wait_left -= 1
            if self.wait_left <= 0:
                self.wait_left = 0
                self.pending.popleft()
            return
        if op.kind in ("seed", "step", "replay", "drain") and not idle:
            self.waiting_for = f"idle_o before {op.kind} (a pass that never ends)"
            return
        self.pending.popleft()
        if op.kind == "drain":
            return
        if op.kind == "seed":
            self.dut.seed_we_i.value = 1
            self.dut.seed_idx_i.value = op.idx
            self.dut.seed_i.value = op.seed
        else:
            self.control.pulse(PULSES[op.kind], op.d if op.kind.endswith("step") else None)

    def _drive_idle(self) -> None:
        self.dut.seed_we_i.value = 0
        self.control.release()

    def _observe(self, idle_before: int) -> None:
        dut = self.dut
        err, idle = self.control.err, self.control.idle
        if not int(dut.rst_ni.value):
            self.publish(CtrlObs(self.cycle, "reset", err=err, idle=idle))
            return
        seed_we = int(dut.seed_we_i.value)
        step, replay, d = self.control.driven()
        if not (seed_we or step or replay):
            return
        if not idle_before:
            self.publish(CtrlObs(self.cycle, "ignored", err=err, idle=idle))
        elif seed_we:
            self.publish(CtrlObs(self.cycle, "seed", idx=int(dut.seed_idx_i.value),
                                 seed=int(dut.seed_i.value), err=err, idle=idle))
        elif step:
            self.publish(CtrlObs(self.cycle, "step" if d else "refused", d=d, err=err, idle=idle))
        else:
            self.publish(CtrlObs(self.cycle, "replay", err=err, idle=idle))
