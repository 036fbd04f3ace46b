"""Bus-functional model: the only code that touches the engine's signals.

One coroutine per clock at the falling edge: report the control event of the rising
edge just passed (inputs as driven, idle_o as it was during that clock), let the
stream sink drive m_ready_i and record a beat, then drive the next operation.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

import cocotb
from cocotb.triggers import Event, FallingEdge

from tb.array.item import CtrlObs, Op
from tb.common.clocking import reset, start_clock
from tb.common.stream import StreamSink

PULSES = {"seed": "seed_we_i", "step": "step_i", "replay": "replay_i",
          "poke_step": "step_i", "poke_replay": "replay_i"}


class ArrayBfm:
    def __init__(self, dut, lanes: int, num_w: int):
        self.dut = dut
        self.lanes = lanes
        self.sink = StreamSink(dut, lanes, num_w)
        self.pending: deque[Op] = deque()
        self.drained = Event()
        self.observers: list[Callable[[CtrlObs], None]] = []
        self.cycle = 0
        self.wait_left = 0

    async def start(self) -> None:
        """Clock, reset, idle inputs, then the per-clock loop in the background."""
        self._drive_idle()
        self.dut.cfg_d_i.value = 0
        start_clock(self.dut.clk_i)
        await reset(self.dut.clk_i, self.dut.rst_ni)
        cocotb.start_soon(self._loop())

    async def apply(self, ops: list[Op]) -> None:
        """Queue operations and wait until the last one has been applied."""
        self.drained.clear()
        self.pending.extend(ops)
        await self.drained.wait()

    async def _loop(self) -> None:
        dut, edge = self.dut, FallingEdge(self.dut.clk_i)
        idle_before = int(dut.idle_o.value)
        busy = False
        while True:
            await edge
            self.cycle += 1
            self._observe(idle_before)
            idle_before = int(dut.idle_o.value)
            self.sink.step(self.cycle)
            self._drive_idle()
            if busy and not self.pending:
                busy = False
                self.drained.set()
            if self.pending:
                busy = True
                self._next(idle_before)

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
            return
        self.pending.popleft()
        if op.kind == "drain":
            return
        dut = self.dut
        getattr(dut, PULSES[op.kind]).value = 1
        if op.kind == "seed":
            dut.seed_idx_i.value = op.idx
            dut.seed_i.value = op.seed
        elif op.kind in ("step", "poke_step"):
            dut.cfg_d_i.value = op.d

    def _drive_idle(self) -> None:
        dut = self.dut
        dut.seed_we_i.value = 0
        dut.step_i.value = 0
        dut.replay_i.value = 0

    def _observe(self, idle_before: int) -> None:
        dut = self.dut
        err, idle = int(dut.cfg_err_o.value), int(dut.idle_o.value)
        if not int(dut.rst_ni.value):
            self._publish(CtrlObs(self.cycle, "reset", err=err, idle=idle))
            return
        seed_we, step, replay = (int(dut.seed_we_i.value), int(dut.step_i.value),
                                 int(dut.replay_i.value))
        if not (seed_we or step or replay):
            return
        if not idle_before:
            self._publish(CtrlObs(self.cycle, "ignored", err=err, idle=idle))
        elif seed_we:
            self._publish(CtrlObs(self.cycle, "seed", idx=int(dut.seed_idx_i.value),
                                  seed=int(dut.seed_i.value), err=err, idle=idle))
        elif step:
            d = int(dut.cfg_d_i.value)
            self._publish(CtrlObs(self.cycle, "step" if d else "refused", d=d, err=err, idle=idle))
        else:
            self._publish(CtrlObs(self.cycle, "replay", err=err, idle=idle))

    def _publish(self, obs: CtrlObs) -> None:
        for observer in self.observers:
            observer(obs)
