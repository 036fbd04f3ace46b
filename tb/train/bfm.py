"""Bus-functional model: the only code that touches the training engine's signals.

Everything acts at transaction boundaries: a register access (a few clocks), a sample
beat (waits on s_ready_o as a simulator trigger), a step-done edge. Nothing runs in
Python on every clock while the engine computes; the clock itself is cocotb's Clock
(in the simulator). Drive and sample at falling edges (tb/lfsr convention): every
register item starts and ends just after a falling edge. Within a block access and a
wait of N clocks Python wakes on timers, not edges (`_clock_period`, `cycles`): the
engine is clocked on rising edges alone, so a value driven or sampled at a falling
edge's time is the same before or after that edge, and with no signal watched the
SystemC bridge does not stop at every clock edge.

systemc=True: the SystemC models of attachment train_dma (tb/systemc/attachments.py)
drive the clock and the sample port and record every step (the step tap). The BFM leaves
those ports alone, publishes the tap's steps as step_done events, and waits for a run's
end on timers alone (every `poll_cycles`): with no signal watched from Python the
bridge runs SystemC straight through (docs/systemc.md).

The block benches' BFM protocol (tb/common/bfm.py), with one port per agent
(tb/train/bfm_port.py) for the shared driver and monitor: `registers` applies register
items (bus accesses and the sequence's waits) and publishes RegObs; `samples` applies
sample beats; `events` publishes EngineEvent (sample accepted, step done, reset).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, FallingEdge, RisingEdge, Timer
from cocotb.utils import get_sim_time

from tb.common.clocking import CLOCK_PERIOD_NS, start_clock
from tb.systemc.attachments import TAP_TRACE
from tb.train.bfm_port import BfmPort
from tb.train.item import EngineEvent, RegObs
from tb.train.trace_tail import TraceTail


class TrainBfm:
    def __init__(self, dut, systemc: bool = False, poll_cycles: int = 10_000):
        self.dut = dut
        self.systemc = systemc
        self.poll_ns = poll_cycles * CLOCK_PERIOD_NS
        self.tap = TraceTail(Path(TAP_TRACE)) if systemc else None
        self.registers = BfmPort("register", {
            "write": lambda item: self.write(item.addr, item.data),
            "read": lambda item: self.read(item.addr),
            "block": lambda item: self.read_block(item.addr, item.count),
            "write_block": lambda item: self.write_block(item.addr, item.data),
            "wait_step": lambda item: self.wait_step_done(),
            "wait_idle": lambda item: self.wait_idle(),
            "cycles": lambda item: self.cycles(item.count),
            "reset": lambda item: self.reset(),
        })
        self.samples = BfmPort("sample", {
            "sample": lambda item: self.send_sample(item.pixels, item.label, item.stall)})
        self.events = BfmPort("event")
        self.samples_sent = 0
        self.epoch = 0  # bumped by reset: a beat in flight across a reset is dropped
        self.waits: list[str] = []  # what the BFM waits on right now (for the watchdog)

    @property
    def waiting_for(self) -> str:
        return " and ".join(self.waits) or "the next transaction"

    @property
    def cycle(self) -> int:
        """Clocks since time 0 (from the simulation time: no per-clock Python)."""
        return int(get_sim_time("ns")) // CLOCK_PERIOD_NS

    def on_progress(self, callback: Callable[[object], None]) -> None:
        """Call `callback` on every register access and engine event."""
        self.registers.observers.append(callback)
        self.events.observers.append(callback)

    async def _waiting(self, what: str, trigger) -> None:
        self.waits.append(what)
        try:
            await trigger
        finally:
            self.waits.remove(what)

    # ---------------------------------------------------------------- set-up
    def _idle_inputs(self) -> None:
        d = self.dut
        d.reg_addr_i.value = 0
        d.reg_wdata_i.value = 0
        d.reg_we_i.value = 0
        d.reg_re_i.value = 0
        if not self.systemc:
            d.s_valid_i.value = 0
            d.s_pixels_i.value = 0
            d.s_label_i.value = 0

    async def start(self) -> None:
        self._idle_inputs()
        if not self.systemc:
            start_clock(self.dut.clk_i)
        await self.reset()
        if not self.systemc:  # the tap's trace brings the steps, with their results
            cocotb.start_soon(self.watch_steps())

    async def reset(self, cycles: int = 2) -> None:
        """Asynchronous reset, asserted mid-cycle (anywhere in a step), released at a
        falling edge."""
        await Timer(CLOCK_PERIOD_NS // 4, unit="ns")
        self.epoch += 1
        self.dut.rst_ni.value = 0
        self._idle_inputs()
        for _ in range(cycles):
            await FallingEdge(self.dut.clk_i)
        self.dut.rst_ni.value = 1
        self._event("reset")

    def _event(self, kind: str, **info) -> None:
        self.events.publish(EngineEvent(kind, self.cycle, info))

    def _reg(self, kind: str, addr: int, data) -> None:
        self.registers.publish(RegObs(kind, addr, data, self.cycle))

    # ---------------------------------------------------------------- register bus
    async def write(self, addr: int, data: int) -> None:
        d = self.dut
        await FallingEdge(d.clk_i)
        d.reg_addr_i.value = addr
        d.reg_wdata_i.value = data & 0xFFFFFFFF
        d.reg_we_i.value = 1
        await FallingEdge(d.clk_i)
        d.reg_we_i.value = 0
        self._reg("write", addr, data & 0xFFFFFFFF)

    async def read(self, addr: int) -> int:
        d = self.dut
        await FallingEdge(d.clk_i)
        d.reg_addr_i.value = addr
        d.reg_re_i.value = 1
        await FallingEdge(d.clk_i)
        d.reg_re_i.value = 0
        value = int(d.reg_rdata_o.value)
        self._reg("read", addr, value)
        return value

    async def read_block(self, addr: int, count: int) -> list[int]:
        """`count` back-to-back reads of one address (WDATA auto-increments)."""
        d = self.dut
        await FallingEdge(d.clk_i)
        d.reg_addr_i.value = addr
        d.reg_re_i.value = 1
        out = []
        for i in range(count):
            await self._clock_period(last=i == count - 1)
            if i == count - 1:
                d.reg_re_i.value = 0
            out.append(int(d.reg_rdata_o.value))
        self._reg("block", addr, out)
        return out

    async def write_block(self, addr: int, values) -> None:
        d = self.dut
        await FallingEdge(d.clk_i)
        d.reg_addr_i.value = addr
        d.reg_we_i.value = 1
        values = [int(v) for v in values]
        for i, v in enumerate(values):
            d.reg_wdata_i.value = v & 0xFFFFFFFF
            await self._clock_period(last=i == len(values) - 1)
        d.reg_we_i.value = 0
        self._reg("write_block", addr, values)

    # ---------------------------------------------------------------- sample stream
    async def send_sample(self, pixels: np.ndarray, label: int, stall: int = 0) -> None:
        d, epoch = self.dut, self.epoch
        if stall:
            await ClockCycles(d.clk_i, stall, rising=False)
        else:
            await FallingEdge(d.clk_i)
        if epoch != self.epoch:
            return
        word = 0
        for i, p in enumerate(pixels):
            word |= (int(p) & 0xFF) << (8 * i)
        d.s_pixels_i.value = word
        d.s_label_i.value = int(label)
        d.s_valid_i.value = 1
        while not int(d.s_ready_o.value):
            await self._waiting("s_ready_o (the engine to take a sample)", RisingEdge(d.s_ready_o))
            await FallingEdge(d.clk_i)
            if epoch != self.epoch:
                return
        await FallingEdge(d.clk_i)  # transferred at the rising edge in between
        if epoch != self.epoch:
            return
        d.s_valid_i.value = 0
        self.samples_sent += 1
        self._event("sample", stall=stall)

    # ---------------------------------------------------------------- engine events
    async def watch_steps(self) -> None:
        """Publish every step-done pulse (one trigger per step, no per-clock Python)."""
        while True:
            await RisingEdge(self.dut.step_done_o)
            self._event("step_done")

    def publish_tapped_steps(self) -> None:
        """The steps the SystemC step tap recorded since the last look, as events."""
        if self.tap is not None:
            for line in self.tap.new_steps():
                self._event("step_done", trace=line)

    async def wait_step_done(self) -> None:
        self.publish_tapped_steps()
        await self._waiting("step_done_o (a step to finish)", RisingEdge(self.dut.step_done_o))
        await FallingEdge(self.dut.clk_i)

    async def wait_idle(self) -> None:
        if self.systemc:
            await self._poll_idle()
        elif int(self.dut.busy_o.value):
            await self._waiting("busy_o to fall (the run to end)", FallingEdge(self.dut.busy_o))
        await FallingEdge(self.dut.clk_i)

    async def _poll_idle(self) -> None:
        """Timers only until busy_o is low, then the two clocks the tap takes to record the
        last step; its steps are published as they come."""
        while int(self.dut.busy_o.value):
            self.publish_tapped_steps()
            await self._waiting("busy_o to fall (the run to end)", Timer(self.poll_ns, unit="ns"))
        await ClockCycles(self.dut.clk_i, 2, rising=False)
        self.publish_tapped_steps()

    async def _clock_period(self, last: bool) -> None:
        """One clock of a block access: a timer to the next falling edge's time (a timer
        at an edge's time may wake before the edge), and for the last a quarter clock past
        the current edge's time, then the next edge, so the item ends just after it."""
        if last:
            await Timer(CLOCK_PERIOD_NS // 4, unit="ns")
            await FallingEdge(self.dut.clk_i)
        else:
            await Timer(CLOCK_PERIOD_NS, unit="ns")

    async def cycles(self, n: int) -> None:
        """n falling edges: started just after one, a timer to a quarter clock past the
        (n-1)th, then the nth edge."""
        if n > 1 and get_sim_time("ns") % CLOCK_PERIOD_NS == CLOCK_PERIOD_NS // 2:
            await Timer((n - 1) * CLOCK_PERIOD_NS + CLOCK_PERIOD_NS // 4, unit="ns")
            n = 1
        await ClockCycles(self.dut.clk_i, n, rising=False)
