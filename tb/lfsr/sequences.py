"""Sequences for the uniform RNG. All randomness comes from `random`, which
cocotb seeds from the test seed, so a run repeats bit for bit from its seed."""

from __future__ import annotations

import random

from pyuvm import ConfigDB, uvm_sequence

from tb.common.segments import N_SEGMENTS, SegmentedSeq
from tb.lfsr.item import Cycle, RngItem


def pick_seed(state_w: int, kind: str | None = None) -> int:
    """A constrained-random seed from one of the classes the coverage model bins."""
    kind = kind or random.choice(["zero", "one_hot", "all_ones", "random", "random"])
    mask = (1 << state_w) - 1
    if kind == "zero":
        return 0
    if kind == "one_hot":
        return 1 << random.randrange(state_w)
    if kind == "all_ones":
        return mask
    while True:  # "random": more than one bit, not all ones
        seed = random.getrandbits(state_w)
        if 1 < seed.bit_count() < state_w:
            return seed


def word_cycles(n_words: int, stall_prob: float = 0.0, max_stall: int = 12) -> list[Cycle]:
    """n enabled cycles, each preceded by a random stall with probability stall_prob."""
    cycles: list[Cycle] = []
    for _ in range(n_words):
        if stall_prob and random.random() < stall_prob:
            cycles += [Cycle()] * random.randint(1, max_stall)
        cycles.append(Cycle(en=1))
    return cycles


class LfsrBaseSeq(uvm_sequence):
    """Common helpers: the DUT configuration and sending a list of cycles."""

    async def send(self, kind: str, cycles: list[Cycle]) -> None:
        item = RngItem(kind, cycles, kind)
        await self.start_item(item)
        await self.finish_item(item)

    async def reseed(self, seed: int, with_enable: bool = False) -> None:
        await self.send("reseed", [Cycle(seed_load=1, seed=seed, en=int(with_enable))])

    @property
    def cfg(self):
        return ConfigDB().get(None, "", "DUT_CFG")


class SeedAndRunSeq(LfsrBaseSeq):
    """Load one constrained-random seed, then read words without stalls."""

    def __init__(self, name="seed_and_run", n_words=1000, seed_kind=None):
        super().__init__(name)
        self.n_words, self.seed_kind = n_words, seed_kind

    async def body(self):
        await self.reseed(pick_seed(self.cfg.state_w, self.seed_kind))
        await self.send("words", word_cycles(self.n_words))


class OneHotWalkSeq(LfsrBaseSeq):
    """Every one-hot seed, a few words each: the states one bit away from zero, where a
    broken zero test (the zero-state substitution) would fire (found by `pezo mutate`)."""

    def __init__(self, name="one_hot_walk", n_words=3):
        super().__init__(name)
        self.n_words = n_words

    async def body(self):
        for bit in range(self.cfg.state_w):
            await self.reseed(1 << bit)
            await self.send("words", word_cycles(self.n_words))


class StallSeq(LfsrBaseSeq):
    """Words with random enable gaps, short and long."""

    def __init__(self, name="stall", n_words=400, stall_prob=0.3):
        super().__init__(name)
        self.n_words, self.stall_prob = n_words, stall_prob

    async def body(self):
        await self.send("stalled_words", word_cycles(self.n_words, self.stall_prob))


class MidStreamReseedSeq(LfsrBaseSeq):
    """Words, then a reseed (sometimes with enable high in the same cycle), then words."""

    async def body(self):
        await self.send("words", word_cycles(random.randint(1, 300), 0.1))
        await self.reseed(pick_seed(self.cfg.state_w), with_enable=random.random() < 0.5)
        await self.send("words", word_cycles(random.randint(1, 300), 0.1))


class ResetMidStreamSeq(LfsrBaseSeq):
    """Words, an asynchronous reset for a few cycles, then words from the reset state."""

    async def body(self):
        await self.send("words", word_cycles(random.randint(1, 200)))
        await self.send("reset", [Cycle(rst_n=0)] * random.randint(1, 3))
        await self.send("words", word_cycles(random.randint(1, 200), 0.1))


class RandomMixSeq(LfsrBaseSeq):
    """A constrained-random mix of all the above: the regression's main stimulus."""

    def __init__(self, name="random_mix", n_items=30):
        super().__init__(name)
        self.n_items = n_items

    async def body(self):
        await OneHotWalkSeq().start(self.sequencer)
        for kind in ["zero", "one_hot", "all_ones", "random"]:  # every seed class once
            seq = SeedAndRunSeq(n_words=random.randint(50, 300), seed_kind=kind)
            await seq.start(self.sequencer)
        choices = [SeedAndRunSeq, StallSeq, MidStreamReseedSeq, ResetMidStreamSeq]
        for _ in range(self.n_items):
            seq_cls = random.choice(choices)
            kwargs = {"n_words": random.randint(10, 400)} if seq_cls is SeedAndRunSeq else {}
            await seq_cls(**kwargs).start(self.sequencer)


class PowerSegmentsSeq(SegmentedSeq, LfsrBaseSeq):
    """The calibration stimulus (tb/common/segments.py): per segment idle clocks,
    enables on a `duty` fraction of the clocks, or a word every clock; its control is a
    reseed (sometimes with enable high in the same cycle) or, now and then, a reset."""

    CHUNK = 250  # cycles per item: the sequence checks the segment's end between items

    def __init__(self, name="power_segments", n_segments=N_SEGMENTS):
        super().__init__(name)
        self.init_segments(n_segments)

    async def set_up(self):
        await self.reseed(pick_seed(self.cfg.state_w, "random"))

    async def control(self, seg):
        if random.random() < 0.2:
            await self.send("reset", [Cycle(rst_n=0)] * random.randint(1, 3))
        await self.reseed(pick_seed(self.cfg.state_w), with_enable=random.random() < 0.5)

    async def work(self, seg, clocks):
        cycles = [Cycle(en=int(random.random() < seg.duty)) for _ in range(min(clocks, self.CHUNK))]
        await self.send("segment_words", cycles)

    async def idle(self, clocks):
        await self.send("idle", [Cycle()] * clocks)
