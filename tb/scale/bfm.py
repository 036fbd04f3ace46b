"""Bus-functional model: the only code that touches the scale stage's signals.

One coroutine per clock: at the falling edge the sink drives m_ready_i and records the
output beat that transfers at the coming rising edge; the source drives s_* (holding a
beat until it transfers, with random gaps); then, once the edge's writes have settled
(ReadOnly), s_valid_i && s_ready_o tells whether the input beat transfers too.
"""

from __future__ import annotations

import random
from collections import deque

import cocotb
from cocotb.triggers import Event, FallingEdge, ReadOnly

from ref_model.pool_model import ScaleConfig
from tb.common.bfm import BlockBfm
from tb.common.perturbation_agent import PerturbationAgent
from tb.scale.item import InBeat, ScaleItem, ScaleObs, Terms


class ScaleBfm(BlockBfm):
    IDLE_INPUTS = ("scale_en_i", "scale_neg_i", "scale_shift_i", "s_valid_i", "s_data_i",
                   "s_keep_i", "s_last_i")

    def __init__(self, dut, cfg: ScaleConfig):
        super().__init__(dut)
        self.cfg = cfg
        # a stage, not a source: the m_* stream without step/replay control
        self.source = PerturbationAgent(dut, cfg.lanes, cfg.out_w, control=False)
        self.sink = self.source.sink
        self.sink.observers.append(self._out_beat)
        self.queue: deque[InBeat] = deque()
        self.cur: InBeat | None = None
        self.terms: Terms | None = None
        self.p_gap, self.gap, self.stalled = 0.0, 0, 0
        self.sent = self.received = 0
        self.drained = Event()

    def started(self) -> None:
        cocotb.start_soon(self._loop())

    async def apply(self, item: ScaleItem) -> None:
        """Drain, write the terms, then stream the item's beats until all have come out."""
        await self._wait_drained()
        await FallingEdge(self.dut.clk_i)
        t, w = item.terms, self.cfg.shift_w
        self.dut.scale_en_i.value = t.en
        self.dut.scale_neg_i.value = t.neg
        self.dut.scale_shift_i.value = sum(s << (k * w) for k, s in enumerate(t.shifts))
        await ReadOnly()
        self.terms = t
        self.publish(ScaleObs("config", self.cycle, terms=t, err=int(self.dut.scale_err_o.value)))
        self.p_gap, self.sink.p_ready = item.p_gap, item.p_ready
        self.queue.extend(item.beats)
        await self._wait_drained()

    async def _wait_drained(self) -> None:
        self.waiting_for = "the input beats to be taken (s_ready_o) and come out (m_valid_o)"
        if self.queue or self.cur is not None or self.received < self.sent:
            self.drained.clear()
            await self.drained.wait()

    async def _loop(self) -> None:
        dut = self.dut
        while True:
            await FallingEdge(dut.clk_i)
            self.cycle += 1
            self.sink.step(self.cycle)
            if int(self.sink.valid.value) and not self.sink.ready_now:
                self.stalled = 1
            self._drive_source()
            await ReadOnly()
            if self.cur is not None and int(dut.s_ready_o.value):
                beat, self.cur = self.cur, None
                self.sent += 1
                self.publish(ScaleObs("in", self.cycle, beat.lanes, beat.keep, beat.last,
                                       self.terms, stalled=self.gap))
                self.gap = 0
            if not self.queue and self.cur is None and self.received == self.sent:
                self.drained.set()

    def _drive_source(self) -> None:
        dut, width = self.dut, self.cfg.num_w
        if self.cur is None and self.queue:
            if self.p_gap and random.random() < self.p_gap:
                self.gap = 1
            else:
                self.cur = self.queue.popleft()
        if self.cur is None:
            dut.s_valid_i.value = 0
            return
        mask = (1 << width) - 1
        dut.s_data_i.value = sum((v & mask) << (lane * width)
                                 for lane, v in enumerate(self.cur.lanes))
        dut.s_keep_i.value = self.cur.keep
        dut.s_last_i.value = self.cur.last
        dut.s_valid_i.value = 1

    def _out_beat(self, beat) -> None:
        self.received += 1
        self.publish(ScaleObs("out", beat.cycle, beat.lanes, beat.keep, beat.last,
                              stalled=self.stalled))
        self.stalled = 0
