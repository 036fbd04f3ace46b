"""Progress watchdog: a simulation that stops making progress fails in seconds.

A stuck DUT (say, held in reset) otherwise leaves the testbench waiting on an event
that never comes until the harness's wall-clock limit kills it, with no hint of why.
The watchdog counts clocks since the last `progress(what)` (or `kick()`); after
`limit` clocks without one it fails the test, naming what the test waited for and
the last progress it saw. It sleeps on one Timer per check instead of waking every
clock, so it costs nothing measurable.

    watchdog = ProgressWatchdog(dut.clk_i, limit=5000, waiting_for="a stream beat")
    watchdog.start()
    ...  watchdog.progress("beat")  # from a monitor or BFM callback
    watchdog.stop()
"""

from __future__ import annotations

from collections.abc import Callable

import cocotb
from cocotb.triggers import Timer
from cocotb.utils import get_sim_time

from tb.common.clocking import CLOCK_PERIOD_NS


def describe(what: object) -> str:
    """A description as given, or an observation by its type and kind."""
    if isinstance(what, str):
        return what
    kind = getattr(what, "kind", None)
    return type(what).__name__ + (f" {kind}" if isinstance(kind, str) else "")


class ProgressStalled(AssertionError):
    """No progress within the watchdog's limit (an assertion: the DUT failed the test)."""


class ProgressWatchdog:
    """Fails the running test after `limit` clocks without progress.

    waiting_for: what progress means here, for the message; a string, or a function
    returning one (so a BFM can say what it waits for right now).
    """

    def __init__(self, clk, limit: int, waiting_for: str | Callable[[], str] = "progress",
                 period_ns: float = CLOCK_PERIOD_NS):
        if limit < 1:
            raise ValueError(f"watchdog limit must be at least 1 clock, got {limit}")
        self.clk, self.limit, self.period_ns = clk, int(limit), period_ns
        self.waiting_for = waiting_for
        self.max_gap = 0  # longest stretch without progress seen, in clocks (headroom)
        self.last = "none yet"
        self._since_ns = get_sim_time("ns")
        self._task = None

    def kick(self) -> None:
        """Progress happened (unnamed): restart the count."""
        now = get_sim_time("ns")
        self.max_gap = max(self.max_gap, self._clocks(now - self._since_ns))
        self._since_ns = now

    def progress(self, what: object = "progress") -> None:
        """Progress happened: `what` (a description or an observation) restarts the count."""
        self.kick()
        self.last = f"{describe(what)} at {self._since_ns:.0f} ns"

    def start(self) -> None:
        self.kick()
        self._task = cocotb.start_soon(self._watch())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def message(self) -> str:
        what = self.waiting_for() if callable(self.waiting_for) else self.waiting_for
        return (f"watchdog: no progress for {self.limit} clocks while waiting for {what} "
                f"(last progress: {self.last})")

    async def _watch(self) -> None:
        limit_ns = self.limit * self.period_ns
        while True:
            deadline = self._since_ns + limit_ns
            await Timer(max(deadline - get_sim_time("ns"), self.period_ns), unit="ns")
            if get_sim_time("ns") - self._since_ns >= limit_ns:
                raise ProgressStalled(self.message())

    def _clocks(self, ns: float) -> int:
        return int(ns // self.period_ns)
