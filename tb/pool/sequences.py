"""Sequences for the pool engine. All randomness comes from `random`, which cocotb seeds
from the test seed, so a run repeats bit for bit from its seed.

A runtime configuration = one fill (run seed, refresh R, sink readiness) followed by a
constrained-random list of steps and replays; d is drawn from classes relative to N and
LANES (d < LANES, d < N, d > N, d a multiple of N: refused, d = 0: refused).
"""

from __future__ import annotations

import random

from pyuvm import ConfigDB, uvm_sequence

from tb.common.segments import N_SEGMENTS, SegmentedSeq
from tb.pool.item import PoolItem, PoolOp

REFRESHES = [0, 0, 1, 2, 3, 5]
P_READY = [1.0, 1.0, 0.8, 0.5, 0.3]
PATTERNS = [["step"], ["step", "replay", "replay"], ["replay", "step"], ["step", "step"],
            ["step", "replay"]]


def pick_d(n: int, lanes: int, max_d: int) -> int:
    """d from one of the classes the coverage model bins."""
    kind = random.choice(["small", "lt_n", "lt_n", "gt_n", "gt_n", "mult_n", "zero",
                          "n_minus", "n_plus"])
    if kind == "small":
        return random.randint(1, max(1, lanes - 1)) if lanes > 1 else 1
    if kind == "lt_n":
        return random.randint(1, n - 1)
    if kind == "gt_n":
        return random.randint(n + 1, max(n + 1, min(max_d, 3 * n)))
    if kind == "mult_n":
        return n * random.randint(1, max(1, min(3, max_d // n)))
    if kind == "zero":
        return 0
    if kind == "n_minus":
        return n - 1
    return n + random.randint(1, max(1, lanes))


class PoolBaseSeq(uvm_sequence):
    async def send(self, kind: str, ops: list[PoolOp]) -> None:
        item = PoolItem(kind, ops, kind)
        await self.start_item(item)
        await self.finish_item(item)

    @property
    def cfg(self):
        return ConfigDB().get(None, "", "DUT_CFG")

    @property
    def max_d(self) -> int:
        return ConfigDB().get(None, "", "MAX_D")


class FillAndStepSeq(PoolBaseSeq):
    """One fill, then n_steps steps of a fixed d, each replayed twice; no backpressure."""

    def __init__(self, name="fill_and_step", n_steps=6, d=None, refresh=0):
        super().__init__(name)
        self.n_steps, self.d, self.refresh = n_steps, d, refresh

    async def body(self):
        cfg = self.cfg
        fits_twice = cfg.pool_n * 2 < self.max_d
        d = self.d or (cfg.pool_n + cfg.lanes + 1 if fits_twice else cfg.pool_n - 1)
        ops = [PoolOp("fill", run_seed=random.getrandbits(31), refresh=self.refresh)]
        for _ in range(self.n_steps):
            ops += [PoolOp("step", d=d), PoolOp("replay"), PoolOp("replay")]
        await self.send("fill_and_step", ops)


class RuntimeConfigSeq(PoolBaseSeq):
    """One constrained-random runtime configuration (fill + steps/replays)."""

    def __init__(self, name="runtime_config", n_actions=None):
        super().__init__(name)
        self.n_actions = n_actions

    async def body(self):
        cfg = self.cfg
        p_ready = random.choice(P_READY)
        refresh = random.choice(REFRESHES)
        ops = [PoolOp("fill", run_seed=random.getrandbits(31), refresh=refresh)]
        d = pick_d(cfg.pool_n, cfg.lanes, self.max_d)
        for _ in range(self.n_actions or random.randint(3, 7)):
            if random.random() < 0.4:
                d = pick_d(cfg.pool_n, cfg.lanes, self.max_d)
            for kind in random.choice(PATTERNS):
                ops.append(PoolOp(kind, d=d if kind == "step" else 0, p_ready=p_ready))
            if random.random() < 0.2:
                ops.append(PoolOp("idle", clocks=random.randint(1, 5)))
        await self.send("runtime_config", ops)


class EdgeCaseSeq(PoolBaseSeq):
    """Rules of the interface: step before fill, replay before step, refused d."""

    async def body(self):
        cfg = self.cfg
        await self.send("edge", [
            PoolOp("step", d=max(1, cfg.lanes)),         # no pool yet: refused
            PoolOp("fill", run_seed=random.getrandbits(31)),
            PoolOp("replay"),                            # before step 0: ignored
            PoolOp("step", d=0),                         # refused
            PoolOp("step", d=cfg.pool_n),                # d mod N == 0: refused
            PoolOp("step", d=cfg.pool_n - 1),            # step 0
            PoolOp("step", d=2 * cfg.pool_n),            # refused, step 0 stays current
            PoolOp("replay", p_ready=0.5),
            PoolOp("step", d=cfg.pool_n + 1, p_ready=0.5),
        ])


class RandomMixSeq(PoolBaseSeq):
    """The regression's main stimulus: edge cases, then n_configs runtime configurations."""

    def __init__(self, name="random_mix", n_configs=20):
        super().__init__(name)
        self.n_configs = n_configs

    async def body(self):
        await EdgeCaseSeq().start(self.sequencer)
        for _ in range(self.n_configs):
            await RuntimeConfigSeq().start(self.sequencer)


class PoolDumpSeq(PoolBaseSeq):
    """Several fills, each read whole by one pass of d = N - 1 and one of d = 1 (stats)."""

    def __init__(self, name="pool_dump", n_fills=8):
        super().__init__(name)
        self.n_fills = n_fills

    async def body(self):
        n = self.cfg.pool_n
        for _ in range(self.n_fills):
            await self.send("dump", [PoolOp("fill", run_seed=random.getrandbits(31)),
                                     PoolOp("step", d=n - 1), PoolOp("step", d=1)])


class PowerSegmentsSeq(SegmentedSeq, PoolBaseSeq):
    """The calibration stimulus (tb/common/segments.py): per segment idle clocks,
    passes at sink readiness `duty` (backpressure), or passes at full rate; its control
    refills the pool (new run seed and refresh R) when a fill fits in the segment, and
    makes replays of the last step likely."""

    CHUNK = 200  # clocks per pass: the sequence checks the segment's end between passes

    def __init__(self, name="power_segments", n_segments=N_SEGMENTS):
        super().__init__(name)
        self.last_beats = 0
        self.init_segments(n_segments)

    def fill(self) -> PoolOp:
        return PoolOp("fill", run_seed=random.getrandbits(31), refresh=random.choice(REFRESHES))

    async def set_up(self):
        await self.send("fill", [self.fill()])

    async def control(self, seg):
        if self.left(seg) > 2 * self.cfg.pool_n:  # a fill writes the N numbers
            await self.send("refill", [self.fill()])

    async def work(self, seg, clocks):
        """One pass of about `clocks` clocks at most (a beat per clock times duty)."""
        n, lanes = self.cfg.pool_n, self.cfg.lanes
        beats = max(1, min(int(min(clocks, self.CHUNK) * seg.duty * 0.9), self.max_d // lanes))
        if seg.control and 0 < self.last_beats <= beats and random.random() < 0.5:
            await self.send("segment_pass", [PoolOp("replay", p_ready=seg.duty)])
            return
        d = beats * lanes - random.randrange(lanes)
        d = d + 1 if d % n == 0 else d  # d a multiple of N is refused
        self.last_beats = beats
        await self.send("segment_pass", [PoolOp("step", d=d, p_ready=seg.duty)])

    async def idle(self, clocks):
        await self.send("idle", [PoolOp("idle", clocks=clocks)])
