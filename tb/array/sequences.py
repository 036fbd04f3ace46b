"""Sequences for the RNG array. All randomness comes from `random`, which cocotb seeds
from the test seed, so a run repeats bit for bit from its seed.

A runtime configuration (RunConfig) is drawn per run: the backpressure p_ready, the
step count, each step's d (d < n, d a multiple of n, d mod n != 0, d = 1, large d),
the replay pattern after each step (none / one / two), refused steps (d = 0), pulses
while busy, and mid-run reseeds (one generator or all).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from pyuvm import ConfigDB, uvm_sequence

from ref_model import array_model
from tb.array.item import ArrayItem, Op
from tb.common.segments import N_SEGMENTS, SegmentedSeq

P_READY = (1.0, 1.0, 0.8, 0.5, 0.25)


def pick_d(lanes: int) -> int:
    """A constrained-random d from the classes the coverage model bins."""
    kind = random.choice(["lt", "mult", "mod", "mod", "one", "large"])
    if kind == "lt" and lanes > 1:
        return random.randint(1, lanes - 1)
    if kind == "mult":
        return lanes * random.randint(1, 6)
    if kind == "one":
        return 1
    if kind == "large":
        return random.randint(4 * lanes * lanes, 4 * lanes * lanes + 3 * lanes)
    return lanes * random.randint(1, 5) + random.randint(1, max(1, lanes - 1))


def pick_seed(state_w: int) -> int:
    kind = random.choice(["zero", "one_hot", "random", "random"])
    if kind == "zero":
        return 0
    if kind == "one_hot":
        return 1 << random.randrange(state_w)
    return random.getrandbits(state_w)


@dataclass
class RunConfig:
    """One constrained-random runtime configuration (drawn from the test seed)."""

    p_ready: float
    steps: list[int]                   # d of each step (0: a refused step)
    replays: list[int]                 # replays after each step
    poke_after: list[bool]             # pulse step_i/replay_i while the pass is in flight
    reseed_before: list[list[int]] = field(default_factory=list)  # generators to reseed
    long_stall: list[bool] = field(default_factory=list)  # hold m_ready_i low mid-pass

    @staticmethod
    def draw(lanes: int) -> RunConfig:
        count = random.randint(2, 6)
        steps = [pick_d(lanes) if random.random() > 0.1 else 0 for _ in range(count)]
        replays = [random.choice([0, 0, 1, 1, 2]) for _ in range(count)]
        poke = [random.random() < 0.2 for _ in range(count)]
        reseed = []
        for _ in range(count):
            r = random.random()
            if r < 0.1:
                reseed.append(list(range(lanes)))
            elif r < 0.25:
                reseed.append([random.randrange(lanes)])
            else:
                reseed.append([])
        stall = [random.random() < 0.1 for _ in range(count)]
        return RunConfig(random.choice(P_READY), steps, replays, poke, reseed, stall)


class ArrayBaseSeq(uvm_sequence):
    """Common helpers: the DUT configuration and sending a list of operations."""

    async def send(self, name: str, ops: list[Op]) -> None:
        item = ArrayItem(name, ops)
        await self.start_item(item)
        await self.finish_item(item)

    @property
    def cfg(self) -> array_model.ArrayConfig:
        return ConfigDB().get(None, "", "DUT_CFG")


class SetupSeq(ArrayBaseSeq):
    """Load every generator: the training reference's seeds for run `run_seed`, or random."""

    def __init__(self, name="setup", run_seed: int | None = None, replay_first: bool = False):
        super().__init__(name)
        self.run_seed, self.replay_first = run_seed, replay_first

    async def body(self):
        n = self.cfg.lanes
        if self.run_seed is None:
            seeds = [pick_seed(self.cfg.state_w) for _ in range(n)]
        else:
            seeds = [int(s) for s in array_model.reference_seeds(self.run_seed, n)]
        ops = [Op("seed", idx=g, seed=s) for g, s in enumerate(seeds)]
        if self.replay_first:
            ops.append(Op("replay"))  # no step since set-up: must be ignored
        await self.send("setup", ops)


class StepsSeq(ArrayBaseSeq):
    """Steps of fixed d, each followed by `replays` replays, at full rate."""

    def __init__(self, name="steps", d: int = 13, steps: int = 4, replays: int = 1):
        super().__init__(name)
        self.d, self.steps, self.replays = d, steps, replays

    async def body(self):
        ops = []
        for _ in range(self.steps):
            ops += [Op("step", d=self.d)] + [Op("replay")] * self.replays
        await self.send("steps", ops + [Op("drain")])


class SmokeSeq(SetupSeq):
    """Set-up, then 4 steps of d = per_lane * n + extra, each replayed once, at full rate."""

    def __init__(self, name="smoke", run_seed: int | None = None, per_lane: int = 3,
                 extra: int = 1):
        super().__init__(name, run_seed=run_seed)
        self.per_lane, self.extra = per_lane, extra

    async def body(self):
        await super().body()
        d = self.per_lane * self.cfg.lanes + self.extra
        await StepsSeq(d=d, steps=4, replays=1).start(self.sequencer)


class RunConfigSeq(ArrayBaseSeq):
    """One drawn runtime configuration, played out."""

    def __init__(self, name="run_config", run: RunConfig | None = None):
        super().__init__(name)
        self.run = run

    async def body(self):
        run = self.run or RunConfig.draw(self.cfg.lanes)
        ops = [Op("ready", p_ready=run.p_ready)]
        stalls = run.long_stall or [False] * len(run.steps)
        for d, replays, poke, reseed, stall in zip(run.steps, run.replays, run.poke_after,
                                                   run.reseed_before, stalls, strict=True):
            ops += [Op("seed", idx=g, seed=pick_seed(self.cfg.state_w)) for g in reseed]
            ops.append(Op("step", d=d))
            if stall:  # a few beats at full rate, then >= LONG_STALL clocks of backpressure
                ops += [Op("ready", p_ready=1.0), Op("idle", cycles=8), Op("ready", p_ready=0.0),
                        Op("idle", cycles=10), Op("ready", p_ready=run.p_ready)]
            if poke and d:
                poke_kind = random.choice(["poke_step", "poke_replay"])
                ops.append(Op(poke_kind, d=pick_d(self.cfg.lanes)))
            ops += [Op("replay")] * replays
            if random.random() < 0.3:
                ops.append(Op("idle", cycles=random.randint(1, 5)))
        await self.send("run_config", ops + [Op("drain")])


class RandomRunsSeq(ArrayBaseSeq):
    """Set-up with the reference seeds, then `runs` drawn runtime configurations; the
    first runs are steered so every coverage bin's stimulus occurs."""

    def __init__(self, name="random_runs", run_seed: int | None = None, runs: int = 10):
        super().__init__(name)
        self.run_seed, self.runs = run_seed, runs

    async def body(self):
        n = self.cfg.lanes
        await SetupSeq(run_seed=self.run_seed, replay_first=True).start(self.sequencer)
        # the long-stall step (third) lasts >= 12 beats, so the stall after 8 lands mid-pass
        directed = RunConfig(0.3, [n + 1, 0, max(4 * n * n + 1, 12 * n), 1,
                                   n - 1 if n > 1 else 2, 2 * n],
                             [2, 0, 0, 1, 0, 1], [True, False, False, False, False, True],
                             [[], [], [], [0], [], list(range(n))],
                             [False, False, True, False, False, False])
        await RunConfigSeq(run=directed).start(self.sequencer)
        for _ in range(self.runs):
            await RunConfigSeq().start(self.sequencer)


class LongPassSeq(ArrayBaseSeq):
    """One step of at least `count` numbers at full rate (statistics from the RTL); with
    D_W <= 16 it is 2^D_W - 1 numbers when that is more, so every bit of the step's d
    counter is set once (a stuck high bit survived mutation otherwise: `pezo mutate`)."""

    def __init__(self, name="long_pass", run_seed: int | None = None, count: int = 40_000):
        super().__init__(name)
        self.run_seed, self.count = run_seed, count

    async def body(self):
        await SetupSeq(run_seed=self.run_seed).start(self.sequencer)
        every_bit = (1 << self.cfg.d_w) - 1 if self.cfg.d_w <= 16 else 0
        await self.send("long", [Op("step", d=max(self.count, every_bit)), Op("drain")])


class PowerSegmentsSeq(SegmentedSeq, ArrayBaseSeq):
    """The calibration stimulus (tb/common/segments.py): per segment no pass, passes
    at sink readiness `duty` (backpressure), or passes at full rate; its control
    reseeds one generator or all and makes replays of the last step likely."""

    CHUNK = 200  # clocks per pass: the sequence checks the segment's end between passes

    def __init__(self, name="power_segments", run_seed: int | None = None,
                 n_segments: int = N_SEGMENTS):
        super().__init__(name)
        self.run_seed, self.last_beats = run_seed, 0
        self.init_segments(n_segments)

    async def set_up(self):
        await SetupSeq(run_seed=self.run_seed).start(self.sequencer)

    async def control(self, seg):
        n = self.cfg.lanes
        chosen = range(n) if random.random() < 0.3 else [random.randrange(n)]
        await self.send("reseed", [Op("seed", idx=g, seed=pick_seed(self.cfg.state_w))
                                   for g in chosen])

    async def work(self, seg, clocks):
        """One pass of about `clocks` clocks at most (a beat per clock times duty)."""
        beats = max(1, int(min(clocks, self.CHUNK) * seg.duty * 0.9))
        replay = seg.control and 0 < self.last_beats <= beats and random.random() < 0.5
        if replay:
            pulse = Op("replay")
        else:
            n = self.cfg.lanes
            pulse, self.last_beats = Op("step", d=beats * n - random.randrange(n)), beats
        await self.send("segment_pass", [Op("ready", p_ready=seg.duty), pulse, Op("drain")])

    async def idle(self, clocks):
        await self.send("idle", [Op("ready", p_ready=1.0), Op("idle", cycles=clocks)])
