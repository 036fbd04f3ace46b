"""Sequences for the scale stage; all randomness from `random` (seeded by cocotb).

A configuration = terms (greedy from a random scale c as the host computes them, raw
register fields, none enabled, or the extreme all-negative maximum shifts), then a burst
of passes of random length with full-range values (the extremes included).
"""

from __future__ import annotations

import random

from pyuvm import ConfigDB, uvm_sequence

from ref_model import scaling
from ref_model.pool_model import ScaleConfig, scale_fields
from tb.common.segments import N_SEGMENTS, SegmentedSeq
from tb.scale.item import InBeat, ScaleItem, Terms

TERM_KINDS = ["greedy", "greedy", "raw", "raw", "none", "extreme"]


def pick_terms(cfg: ScaleConfig, kind: str) -> Terms:
    k = cfg.terms
    if kind == "greedy":
        m2 = random.uniform(0.25, 0.45) if random.random() < 0.7 else random.uniform(0.05, 3.0)
        terms = scaling.shift_add_terms(m2 ** -0.5, k)
        en, neg, shifts = scale_fields(terms, k)
        return Terms(en, neg, tuple(shifts), kind)
    if kind == "none":
        return Terms(0, random.getrandbits(k), tuple(random.randint(0, cfg.shift_max)
                                                     for _ in range(k)), kind)
    if kind == "extreme":
        return Terms((1 << k) - 1, (1 << k) - 1, (cfg.shift_max,) * k, kind)
    top = (1 << cfg.shift_w) - 1  # raw fields may exceed SHIFT_MAX: that term is ignored
    shifts = [random.randint(0, top) if random.random() < 0.15 else
              random.randint(0, cfg.shift_max) for _ in range(k)]
    en = random.getrandbits(k) or 1
    if kind == "raw_zero_shifts":  # every term at shift 0: each term's unshifted path
        # (a flipped bit of one term's part at shift 0 survived mutation otherwise)
        kind, en, shifts = "raw", (1 << k) - 1, [0] * k
    if kind == "raw_corners":  # term 0 at shift 0, the last term out of range (if K > 1)
        kind, en, shifts[0] = "raw", en | 1 | (1 << (k - 1)), 0
        if k > 1 and top > cfg.shift_max:
            shifts[-1] = random.randint(cfg.shift_max + 1, top)
    return Terms(en, random.getrandbits(k), tuple(shifts), kind)


def pick_value(num_w: int) -> int:
    lo, hi = -(1 << (num_w - 1)), (1 << (num_w - 1)) - 1
    r = random.random()
    if r < 0.1:
        return lo
    if r < 0.2:
        return hi
    if r < 0.25:
        return 0
    return random.randint(lo, hi)


def passes(cfg: ScaleConfig, n_beats: int) -> list[InBeat]:
    """Passes of random length d; the last beat of each keeps only its lanes < d."""
    beats: list[InBeat] = []
    while len(beats) < n_beats:
        d = random.randint(1, 6 * cfg.lanes)
        n = -(-d // cfg.lanes)
        for b in range(n):
            keep = sum(1 << lane for lane in range(cfg.lanes) if b * cfg.lanes + lane < d)
            # lanes past d carry junk: the stage must output 0 there whatever comes in
            lanes = tuple(pick_value(cfg.num_w) for _ in range(cfg.lanes))
            beats.append(InBeat(lanes, keep, int(b == n - 1)))
    return beats


class ScaleBaseSeq(uvm_sequence):
    @property
    def cfg(self) -> ScaleConfig:
        return ConfigDB().get(None, "", "DUT_CFG")

    async def send(self, terms: Terms, beats: list[InBeat], p_gap: float, p_ready: float):
        item = ScaleItem(terms.kind, terms, beats, p_gap, p_ready)
        await self.start_item(item)
        await self.finish_item(item)


class GreedySqrt3Seq(ScaleBaseSeq):
    """The textbook case: terms of sqrt(3), back-to-back beats, no backpressure."""

    async def body(self):
        en, neg, shifts = scale_fields(scaling.shift_add_terms(3 ** 0.5, self.cfg.terms),
                                       self.cfg.terms)
        await self.send(Terms(en, neg, tuple(shifts), "greedy"), passes(self.cfg, 200), 0.0, 1.0)


class RandomConfigSeq(ScaleBaseSeq):
    """n_configs constrained-random configurations; every term kind at least once."""

    def __init__(self, name="random_configs", n_configs=24):
        super().__init__(name)
        self.n_configs = n_configs

    async def body(self):
        kinds = ["greedy", "raw_corners", "raw_zero_shifts", "none", "extreme"]
        kinds += [random.choice(TERM_KINDS) for _ in range(self.n_configs - len(kinds))]
        for kind in kinds:
            await self.send(pick_terms(self.cfg, kind), passes(self.cfg, random.randint(8, 40)),
                            random.choice([0.0, 0.0, 0.3, 0.6]),
                            random.choice([1.0, 0.8, 0.5, 0.3]))


class PowerSegmentsSeq(SegmentedSeq, ScaleBaseSeq):
    """The calibration stimulus (tb/common/segments.py): per segment no input beat,
    beats on a `duty` fraction of the clocks (source gaps), or a beat every clock; its
    control writes new terms and adds sink backpressure."""

    CHUNK = 200  # clocks per item: the sequence checks the segment's end between items

    def __init__(self, name="power_segments", n_segments=N_SEGMENTS):
        super().__init__(name)
        self.terms, self.p_ready = None, 1.0
        self.init_segments(n_segments)

    async def set_up(self):
        self.terms = pick_terms(self.cfg, "greedy")

    async def control(self, seg):
        self.terms = pick_terms(self.cfg, random.choice(TERM_KINDS))
        self.p_ready = random.choice([1.0, 0.8])

    async def work(self, seg, clocks):
        """Passes of about `clocks` clocks at most (a beat per clock times duty)."""
        beats = passes(self.cfg, max(1, int(min(clocks, self.CHUNK) * seg.duty * 0.8)))
        p_ready = self.p_ready if seg.control else 1.0
        await self.send(self.terms, beats, 1.0 - seg.duty, p_ready)

    async def idle(self, clocks):
        await self.wait_clocks(clocks)
