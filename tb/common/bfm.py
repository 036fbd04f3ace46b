"""The BFM protocol of every block bench: the shared driver, monitor and base test
need nothing else from a bench's BFM.

- start(): idle inputs, clock, reset, then the bench's background loop (if any);
- apply(item): a coroutine that applies one sequence item and returns when it is done;
- observers: callbacks the BFM publishes each observation to (the monitor's port);
- sink: the stream sink, when the DUT streams (its beats count as progress);
- cycle: falling edges seen; waiting_for: what the BFM waits for now (watchdog message).
"""

from __future__ import annotations

from collections.abc import Callable

from tb.common.clocking import reset, start_clock


class BlockBfm:
    IDLE_INPUTS: tuple[str, ...] = ()  # inputs held at 0 until reset is released

    def __init__(self, dut):
        self.dut = dut
        self.observers: list[Callable[[object], None]] = []
        self.sink = None
        self.cycle = 0
        self.waiting_for = "the first transaction"

    async def start(self) -> None:
        for name in self.IDLE_INPUTS:
            getattr(self.dut, name).value = 0
        start_clock(self.dut.clk_i)
        await reset(self.dut.clk_i, self.dut.rst_ni)
        self.started()

    def started(self) -> None:
        """Hook: start the per-clock loop of a BFM that has one."""

    async def apply(self, item) -> None:
        raise NotImplementedError

    def publish(self, obs) -> None:
        for observer in self.observers:
            observer(obs)

    def on_progress(self, callback: Callable[[object], None]) -> None:
        """Call `callback` on every observation and every stream beat."""
        self.observers.append(callback)
        if self.sink is not None:
            self.sink.observers.append(callback)
