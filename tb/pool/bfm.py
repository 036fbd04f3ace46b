"""Bus-functional model: the only code that touches the pool engine's signals.

Everything happens at falling edges (inputs stable, registered outputs settled): each
edge steps the stream sink (ready for the coming rising edge, and the beat that will
transfer there), then the host action drives its pulse or waits for idle_o.
"""

from __future__ import annotations

from typing import Callable

import cocotb
from cocotb.triggers import FallingEdge

from ref_model.pool_model import PoolConfig, fill_seed
from tb.common.clocking import reset, start_clock
from tb.common.stream import StreamSink
from tb.pool.item import PoolObs, PoolOp

MAX_WAIT = 200_000  # clocks an action may take before the BFM gives up (hang guard)


class PoolBfm:
    def __init__(self, dut, cfg: PoolConfig):
        self.dut, self.cfg = dut, cfg
        self.sink = StreamSink(dut, cfg.lanes, cfg.num_w)
        self.sink.observers.append(self._beat)
        self.observers: list[Callable[[PoolObs], None]] = []
        self.current: PoolObs | None = None
        self.cycle = 0

    async def start(self) -> None:
        dut = self.dut
        for name in ("fill_i", "fill_seed_i", "cfg_d_i", "cfg_refresh_i", "step_i", "replay_i"):
            getattr(dut, name).value = 0
        start_clock(dut.clk_i)
        await reset(dut.clk_i, dut.rst_ni)

    async def execute(self, op: PoolOp) -> None:
        """Apply one host action and publish what it produced once the engine is idle."""
        dut = self.dut
        self.sink.p_ready = op.p_ready
        obs = self.current = PoolObs(op, cycle=self.cycle)
        if op.kind == "idle":
            for _ in range(op.clocks):
                await self._edge()
            obs.err = int(dut.cfg_err_o.value)
            self._publish(obs)
            return
        await self._until_idle()
        if op.kind == "fill":
            dut.fill_seed_i.value = fill_seed(op.run_seed)
            dut.cfg_refresh_i.value = op.refresh
            dut.fill_i.value = 1
        elif op.kind == "step":
            dut.cfg_d_i.value = op.d
            dut.step_i.value = 1
        else:
            dut.replay_i.value = 1
        await self._edge()
        dut.fill_i.value = dut.step_i.value = dut.replay_i.value = 0
        await self._until_idle()
        obs.err, obs.sumsq = int(dut.cfg_err_o.value), int(dut.fill_sumsq_o.value)
        self._publish(obs)

    def _publish(self, obs: PoolObs) -> None:
        for observer in self.observers:
            observer(obs)

    async def _until_idle(self) -> None:
        for _ in range(MAX_WAIT):
            if int(self.dut.idle_o.value):
                return
            await self._edge()
        raise TimeoutError(f"pool engine not idle after {MAX_WAIT} clocks (cycle {self.cycle})")

    async def _edge(self) -> None:
        await FallingEdge(self.dut.clk_i)
        self.cycle += 1
        self.sink.step(self.cycle)
        if self.current is not None:
            self.current.stalls += int(self.sink.valid.value) and not self.sink.ready_now
            self.current.busy_cycles += int(self.dut.fill_busy_o.value)

    def _beat(self, beat) -> None:
        if self.current is not None:
            self.current.beats.append(beat)
