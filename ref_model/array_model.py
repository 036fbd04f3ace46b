"""Bit-exact model of rtl/pezo_rng_array.v (and one rtl/pezo_numgen.v), built on the
training reference: the lane rotation is ref_model.perturb.Perturbations' `array` reuse
mode.

    ArrayConfig   the HDL parameters (same names as the Verilog), validated like the RTL
    GenBank       one generator's numbers: the DIST's model (ref_model.source_table.Dist)
                  on K consecutive W-bit words of one LFSR
    ArrayModel    n GenBanks behind a Perturbations object: step(d), replay(), reseed(g, s)

A number of generator g (int64, `frac` fraction bits) is `numbers(words, W, K)` of the
DIST's model module: uniform 2*s + 1 of a signed W-bit word s (ref_model.numgen_uniform),
CLT the sum of K of them (ref_model.gauss_clt), ICDF gauss_icdf.icdf of the K*W-bit word.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

import numpy as np

from ref_model import lfsr
from ref_model.config import FixedFormat, TrainConfig
from ref_model.errors import ConfigError
from ref_model.perturb import Perturbations
from ref_model.source_table import SOURCES, Dist, Reuse, SeedStream
from ref_model.sources import WordBank, derived_seeds

BANK_LANES = 8  # jump-ahead lanes per generator (speed only; tests compare with lfsr.words)
# the Dist members under the names tb/array/test_array.py, tests/test_gauss_sim.py and
# tests/test_power_engine.py import (to go once they import source_table.Dist)


@dataclass(frozen=True)
class ArrayConfig:
    """HDL parameters of pezo_rng_array / pezo_numgen (Verilog names in lower case)."""

    lanes: int = 4
    dist: Dist = Dist.UNIFORM
    w: int = 8
    k: int = 1
    num_w: int | None = None   # None: the width the distribution needs
    d_w: int = 16
    state_w: int = 32

    def __post_init__(self) -> None:
        if self.dist in set(Dist):
            object.__setattr__(self, "dist", Dist(self.dist))
            if self.num_w is None and self.k >= 1:
                object.__setattr__(self, "num_w", self.dist.model.need_width(self.w, self.k))
        validate(self)

    @property
    def lfsr_cfg(self) -> lfsr.LfsrConfig:
        return lfsr.LfsrConfig(state_w=self.state_w, out_w=self.k * self.w)

    @property
    def frac(self) -> int:
        """Fraction bits that make the number's variance ~1 (CLT: a shift for K = 3*4^m)."""
        return self.dist.model.frac(self.w, self.k)

    def verilog_parameters(self) -> dict[str, int]:
        lc = self.lfsr_cfg
        return {"LANES": self.lanes, "DIST": int(self.dist), "W": self.w, "K": self.k,
                "NUM_W": self.num_w, "D_W": self.d_w, "STATE_W": self.state_w,
                "TAPS": lc.taps, "ZERO_SUBST": lc.zero_subst}


def validate(cfg: ArrayConfig) -> None:
    """Reject what the RTL's elaboration checks reject, in their words and order:
    pezo_numgen's (the DIST's own through its model's check), then pezo_rng_array's."""
    if cfg.dist not in set(Dist):
        raise ConfigError(f"DIST={cfg.dist} unsupported, need {min(Dist)}..{max(Dist)}")
    if not 2 <= cfg.w <= 16:
        raise ConfigError(f"W={cfg.w} unsupported, need 2..16")
    if cfg.k < 1 or cfg.k * cfg.w > cfg.state_w:
        raise ConfigError(f"K={cfg.k} unsupported, need 1..{cfg.state_w // cfg.w} "
                          "(K*W <= STATE_W)")
    cfg.dist.model.check(cfg.w, cfg.k)
    need = cfg.dist.model.need_width(cfg.w, cfg.k)
    if not need <= cfg.num_w <= 32:
        raise ConfigError(f"NUM_W={cfg.num_w} unsupported, need {need}..32")
    if not 1 <= cfg.lanes <= 64:
        raise ConfigError(f"LANES={cfg.lanes} unsupported, need 1..64")
    if not 1 <= cfg.d_w <= 30:
        raise ConfigError(f"D_W={cfg.d_w} unsupported, need 1..30")
    if cfg.lanes >= 1 << cfg.d_w:
        raise ConfigError(f"LANES={cfg.lanes} unsupported, need <= {(1 << cfg.d_w) - 1} "
                          "(LANES < 2^D_W)")
    lfsr.validate(cfg.lfsr_cfg)  # STATE_W checks (and built-in taps) of ref_model.lfsr


def reference_perturbation(cfg: ArrayConfig) -> str:
    """The training reference's perturbation that this generator (DIST, K) makes."""
    for source in SOURCES:
        if (source.reuse is Reuse.ARRAY and source.dist is cfg.dist and source.k == cfg.k
                and source.perturb is not None):
            return source.perturb
    raise ConfigError(f"DIST={int(cfg.dist)} ({cfg.dist.name}) with K={cfg.k} is no array "
                      "source of the training reference (ref_model/source_table.py)")


def in_training_reference(cfg: ArrayConfig) -> bool:
    """Whether the training reference has this generator as an array source."""
    try:
        reference_perturbation(cfg)
    except ConfigError:
        return False
    return True


def train_config(cfg: ArrayConfig, seed: int = 0) -> TrainConfig:
    """The training configuration whose `hw` array source this engine implements."""
    return TrainConfig(perturb=reference_perturbation(cfg), generator="hw",
                       reuse="array", array_size=cfg.lanes, arith="fixed", queries=1, seed=seed,
                       lfsr_state_w=cfg.state_w, fmt=replace(FixedFormat(), z_word=cfg.w))


class GenBank:
    """One generator (one pezo_numgen): take(count) -> (1, count) int64 numbers."""

    def __init__(self, cfg: ArrayConfig, seed: int, lanes: int = BANK_LANES):
        self.cfg = cfg
        # one generator, read in small steps: few jump-ahead lanes
        self.words = WordBank(lfsr.LfsrConfig(state_w=cfg.state_w, out_w=cfg.w),
                              np.array([seed], dtype=np.uint64), per_lane=64, max_states=lanes)

    def take(self, count: int) -> np.ndarray:
        cfg = self.cfg
        return cfg.dist.model.numbers(self.words.words(cfg.k * count), cfg.w, cfg.k)


class ArrayBank:
    """n GenBanks with the HwBank interface; single generators can be reseeded."""

    def __init__(self, cfg: ArrayConfig, seeds, lanes: int = BANK_LANES):
        self.cfg = cfg
        self.gens = [GenBank(cfg, int(s), lanes) for s in seeds]

    def reseed(self, g: int, seed: int) -> None:
        self.gens[g] = GenBank(self.cfg, seed)

    def take(self, count: int) -> np.ndarray:
        return np.concatenate([g.take(count) for g in self.gens], axis=0)


class ArrayModel:
    """pezo_rng_array's numbers: Perturbations(reuse=array) over an ArrayBank.

    step(d) -> the d numbers of the next step; replay() -> the current step's again;
    reseed(g, seed) -> load one generator (set-up: the global clock restarts at 0).
    After reset every generator holds ZERO_SUBST (the model of seed 0). bank_lanes:
    jump-ahead lanes per generator (speed only: large for long samples).
    """

    def __init__(self, cfg: ArrayConfig, seeds=None, bank_lanes: int = BANK_LANES):
        self.cfg = cfg
        seeds = np.zeros(cfg.lanes, dtype=np.uint64) if seeds is None else seeds
        base = train_config(replace(cfg, dist=Dist.UNIFORM, k=1, num_w=None))
        self.src = Perturbations(base, 1)
        self.src.bank = ArrayBank(cfg, seeds, bank_lanes)
        self.saved = None
        self.d = 0

    def reseed(self, g: int, seed: int) -> None:
        self.src.bank.reseed(g, seed)
        self.src.clock = 0
        self.saved = None

    def step(self, d: int) -> np.ndarray:
        """The next step's perturbation (the array's global clock carries on)."""
        self.saved = (copy.deepcopy(self.src.bank), self.src.clock)
        self.d = d
        return self._stream()

    def replay(self) -> np.ndarray | None:
        """The current step again (None before the first step after set-up)."""
        if self.saved is None:
            return None
        self.src.bank, self.src.clock = copy.deepcopy(self.saved[0]), self.saved[1]
        return self._stream()

    def _stream(self) -> np.ndarray:
        self.src.d = self.d
        return self.src.next_step()[0].astype(np.int64)


def reference_seeds(run_seed: int, lanes: int) -> np.ndarray:
    """The training reference's array seeds for run `run_seed` (sources.derived_seeds)."""
    return derived_seeds(run_seed, SeedStream.PERTURBATIONS, lanes)
