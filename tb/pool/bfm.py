"""Bus-functional model: the only code that touches the pool engine's signals.

Everything happens at falling edges (inputs stable, registered outputs settled): each
edge steps the stream sink (ready for the coming rising edge, and the beat that will
transfer there), then the host action drives its pulse or waits for idle_o.
"""

from __future__ import annotations

from cocotb.triggers import FallingEdge

from ref_model.pool_model import PoolConfig, fill_seed
from tb.common.bfm import BlockBfm
from tb.common.perturbation_agent import PerturbationAgent
from tb.pool.item import PoolItem, PoolObs, PoolOp


class PoolBfm(BlockBfm):
    IDLE_INPUTS = ("fill_i", "fill_seed_i", "cfg_refresh_i")

    def __init__(self, dut, cfg: PoolConfig):
        super().__init__(dut)
        self.cfg = cfg
        self.source = PerturbationAgent(dut, cfg.lanes, cfg.num_w)
        self.control, self.sink = self.source.control, self.source.sink
        self.sink.observers.append(self._beat)
        self.current: PoolObs | None = None

    async def apply(self, item: PoolItem) -> None:
        for op in item.ops:
            await self.execute(op)

    async def execute(self, op: PoolOp) -> None:
        """Apply one host action and publish what it produced once the engine is idle."""
        dut = self.dut
        self.sink.p_ready = op.p_ready
        obs = self.current = PoolObs(op, cycle=self.cycle)
        if op.kind == "idle":
            for _ in range(op.clocks):
                await self._edge()
            obs.err = self.control.err
            self.publish(obs)
            return
        await self._until_idle(f"idle_o before {op.kind}")
        if op.kind == "fill":
            dut.fill_seed_i.value = fill_seed(op.run_seed)
            dut.cfg_refresh_i.value = op.refresh
            dut.fill_i.value = 1
        else:
            self.control.pulse(op.kind, op.d if op.kind == "step" else None)
        await self._edge()
        dut.fill_i.value = 0
        self.control.release()
        await self._until_idle(f"idle_o after {op.kind} (a pass or fill that never ends)")
        obs.err, obs.sumsq = self.control.err, int(dut.fill_sumsq_o.value)
        self.publish(obs)

    async def _until_idle(self, what: str) -> None:
        self.waiting_for = what
        while not self.control.idle:
            await self._edge()

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
