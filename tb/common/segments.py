"""The calibration stimulus of every block bench's <Bench>PowerTest: activity segments.

A power proxy is fitted per window of 1,000 clocks against gate-level power, so the
windows must differ. After reset the run is cut into N_SEGMENTS segments of
SEGMENT_CLOCKS clocks that end at multiples of SEGMENT_CLOCKS of the BFM's cycle count
(which, like the activity capture's windows, counts from reset release), so segments
and windows line up. Each segment draws from the test seed an activity level:

- idle: no words requested, inputs quiet;
- partial: words on a fraction `duty` of the clocks (stalls, gaps, backpressure);
- full: a word every clock;

and whether it also exercises the bench's controls (reseeds, replays, refills, new
terms). Both idle and full occur at least once, so the busiest window has several
times the toggles of the quietest. Two idle segments never follow each other: the
progress watchdog (clocks without a transaction) then needs one segment of headroom.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cocotb.triggers import FallingEdge
from pyuvm import ConfigDB

SEGMENT_CLOCKS = 1000
N_SEGMENTS = 16
LEVELS = ("idle", "partial", "full")
PARTIAL_DUTY = (0.15, 0.75)  # a partial segment's duty is drawn uniformly from this range
P_CONTROL = 0.5  # chance that a busy segment also exercises the bench's controls
# idle clocks after the last segment, so that its window is whole whatever the BFM's
# latency (the capture's last window then holds these few clocks)
TAIL_CLOCKS = 4


@dataclass(frozen=True)
class Segment:
    """One stretch of the run: [end - SEGMENT_CLOCKS, end) in BFM cycles."""

    index: int
    level: str
    duty: float  # fraction of the clocks carrying a word: 0 idle, 1 full
    control: bool  # also use the bench's controls (reseed, replay, refill, terms)
    end: int

    def to_dict(self) -> dict:
        return {"level": self.level, "duty": round(self.duty, 3), "control": self.control,
                "end": self.end}


def draw_levels(n: int) -> list[str]:
    """n levels with idle and full at least once and no two idles in a row."""
    levels = ["idle", "full"] + [random.choice(LEVELS) for _ in range(n - 2)]
    random.shuffle(levels)
    for i in range(1, n):
        if levels[i] == levels[i - 1] == "idle":
            levels[i] = random.choice(LEVELS[1:])
    return levels


def plan(n: int = N_SEGMENTS, clocks: int = SEGMENT_CLOCKS) -> list[Segment]:
    """The segments of one run, drawn from `random` (seeded by cocotb from the test seed)."""
    segments = []
    for i, level in enumerate(draw_levels(n)):
        duty = {"idle": 0.0, "full": 1.0}.get(level) or random.uniform(*PARTIAL_DUTY)
        control = level != "idle" and random.random() < P_CONTROL
        segments.append(Segment(i, level, duty, control, (i + 1) * clocks))
    return segments


class SegmentedSeq:
    """Mixin for a bench's uvm_sequence: set_up(), then per segment: the bench's
    control (when drawn), work() while more than `margin` clocks are left, idle() for
    the rest; then TAIL_CLOCKS idle clocks.

    A bench defines set_up(), control(seg), work(seg, clocks) (work of at most about
    `clocks` clocks at the segment's duty) and idle(clocks); `margin` is the clocks
    a bench's work item may overrun its estimate by.
    """

    margin = 8

    def init_segments(self, n: int = N_SEGMENTS) -> None:
        self.segments = plan(n)

    @property
    def bfm(self):
        return ConfigDB().get(None, "", "BFM")

    def left(self, seg: Segment) -> int:
        return seg.end - self.bfm.cycle

    async def body(self):
        await self.set_up()
        for seg in self.segments:
            if seg.control:
                await self.control(seg)
            while seg.level != "idle" and self.left(seg) > self.margin:
                await self.work(seg, self.left(seg) - self.margin)
            if self.left(seg) > 0:
                await self.idle(self.left(seg))
        await self.idle(TAIL_CLOCKS)

    async def set_up(self) -> None:
        """Hook: what a run needs before its first word (seeds, a fill)."""

    async def wait_clocks(self, clocks: int) -> None:
        """Send nothing for `clocks` clocks (for a BFM without an idle item)."""
        end = self.bfm.cycle + clocks
        while self.bfm.cycle < end:
            await FallingEdge(self.bfm.dut.clk_i)

    def segment_metrics(self) -> list[dict]:
        return [seg.to_dict() for seg in self.segments]


class PowerTestMixin:
    """For a bench's <Bench>PowerTest (before the bench's base test in the bases): an
    idle segment has no transaction, so the watchdog gets one segment of headroom, and
    the drawn segments go to metrics.json. The bench defines power_sequence()."""

    def progress_limit(self, cfg) -> int:
        return super().progress_limit(cfg) + SEGMENT_CLOCKS

    def make_sequence(self):
        self.power_seq = self.power_sequence()
        return self.power_seq

    def run_metrics(self) -> dict:
        return {**super().run_metrics(), "segments": self.power_seq.segment_metrics()}
