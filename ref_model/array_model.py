"""Bit-exact model of rtl/pezo_rng_array.v (and one rtl/pezo_numgen.v), built on the
training reference: the lane rotation is ref_model.perturb.Perturbations' `array` reuse
mode, the numbers are ref_model.sources.HwBank's.

    ArrayConfig   the HDL parameters (same names as the Verilog), validated like the RTL
    GenBank       one generator's numbers for DIST uniform / CLT (any K) / ICDF
    ArrayModel    n GenBanks behind a Perturbations object: step(d), replay(), reseed(g, s)

A number of generator g (W fraction bits, int64):
    uniform  HwBank("uniform") = 2*s + 1 from a signed W-bit word s
    CLT K    the sum of K consecutive HwBank("uniform") numbers (K = 3 is HwBank("gaussian"))
    ICDF     gauss_icdf.icdf(u) of the K*W-bit LFSR word u (K consecutive W-bit words)
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace

import numpy as np

from ref_model import gauss_icdf, lfsr
from ref_model.config import FixedFormat, TrainConfig
from ref_model.errors import ConfigError
from ref_model.perturb import SEED_TAG, Perturbations
from ref_model.sources import HwBank, WordBank, derived_seeds

UNIFORM, CLT, ICDF = 0, 1, 2
BANK_LANES = 8  # jump-ahead lanes per generator (speed only; tests compare with lfsr.words)
DIST_NAMES = {UNIFORM: "uniform", CLT: "clt", ICDF: "icdf"}


@dataclass(frozen=True)
class ArrayConfig:
    """HDL parameters of pezo_rng_array / pezo_numgen (Verilog names in lower case)."""

    lanes: int = 4
    dist: int = UNIFORM
    w: int = 8
    k: int = 1
    num_w: int | None = None   # None: the width the distribution needs
    d_w: int = 16
    state_w: int = 32

    def __post_init__(self) -> None:
        if self.num_w is None and self.dist in DIST_NAMES and self.k >= 1:
            object.__setattr__(self, "num_w", need_width(self.dist, self.w, self.k))
        validate(self)

    @property
    def lfsr_cfg(self) -> lfsr.LfsrConfig:
        return lfsr.LfsrConfig(state_w=self.state_w, out_w=self.k * self.w)

    @property
    def frac(self) -> int:
        """Fraction bits that make the number's variance ~1 (a shift for K = 3*4^m)."""
        if self.dist == CLT:
            return self.w + max(0, round(math.log(self.k / 3, 4)))
        return self.w

    def verilog_parameters(self) -> dict[str, int]:
        lc = self.lfsr_cfg
        return {"LANES": self.lanes, "DIST": self.dist, "W": self.w, "K": self.k,
                "NUM_W": self.num_w, "D_W": self.d_w, "STATE_W": self.state_w,
                "TAPS": lc.taps, "ZERO_SUBST": lc.zero_subst}


def need_width(dist: int, w: int, k: int) -> int:
    """Bits the number needs: uniform W+1, CLT W+1+clog2(K), ICDF W+4."""
    if dist == ICDF:
        return w + 4
    if dist == CLT:
        return w + 1 + (k - 1).bit_length()
    return w + 1


def validate(cfg: ArrayConfig) -> None:
    """Reject what the RTL's elaboration checks reject. Each message ends with the
    words of the RTL's CONFIG_ERROR_<module>_<words> module name (tests compare them)."""
    kw = cfg.k * cfg.w
    if cfg.dist not in DIST_NAMES:
        raise ConfigError(f"DIST={cfg.dist}: DIST unsupported, need 0, 1 or 2 "
                          "(uniform, CLT, ICDF)")
    if not 2 <= cfg.w <= 16:
        raise ConfigError(f"W={cfg.w}: W unsupported, need 2 to 16")
    if cfg.k < 1 or kw > 64:
        raise ConfigError(f"K={cfg.k}, W={cfg.w}: K unsupported, need K at least 1 and "
                          "K times W at most 64")
    if kw > cfg.state_w:
        raise ConfigError(f"K*W={kw}, STATE_W={cfg.state_w}: K times W exceeds STATE_W")
    if cfg.dist == UNIFORM and cfg.k != 1:
        raise ConfigError(f"K={cfg.k}: K unsupported for DIST 0 uniform, need K 1")
    if cfg.dist == ICDF and not 16 <= kw <= 32:
        raise ConfigError(f"K*W={kw}: K times W unsupported for DIST 2 ICDF, need 16 to 32")
    need = need_width(cfg.dist, cfg.w, cfg.k)
    if not need <= cfg.num_w <= 32:
        raise ConfigError(f"NUM_W={cfg.num_w} (need {need}..32): NUM_W too small or too wide")
    if not 1 <= cfg.lanes <= 64:
        raise ConfigError(f"LANES={cfg.lanes}: LANES unsupported, need 1 to 64")
    if not 1 <= cfg.d_w <= 30:
        raise ConfigError(f"D_W={cfg.d_w}: D_W unsupported, need 1 to 30")
    if cfg.lanes >= 1 << cfg.d_w:
        raise ConfigError(f"LANES={cfg.lanes}, D_W={cfg.d_w}: LANES needs larger D_W")
    cfg.lfsr_cfg  # STATE_W checks (and built-in taps) of ref_model.lfsr


def train_config(cfg: ArrayConfig, seed: int = 0) -> TrainConfig:
    """The training configuration whose `hw` array source this engine implements
    (uniform, or CLT with K = 3 = the reference's `gaussian`)."""
    if not (cfg.dist == UNIFORM or (cfg.dist == CLT and cfg.k == 3)):
        raise ConfigError("only DIST=uniform and DIST=CLT with K=3 exist in the training reference")
    return TrainConfig(perturb="uniform" if cfg.dist == UNIFORM else "gaussian", generator="hw",
                       reuse="array", array_size=cfg.lanes, arith="fixed", queries=1, seed=seed,
                       lfsr_state_w=cfg.state_w, fmt=replace(FixedFormat(), z_word=cfg.w))


class GenBank:
    """One generator (one pezo_numgen): take(count) -> (1, count) int64 numbers."""

    def __init__(self, cfg: ArrayConfig, seed: int, lanes: int = BANK_LANES):
        self.cfg = cfg
        perturb = "gaussian" if cfg.dist == CLT and cfg.k == 3 else "uniform"
        self.per_take = 1 if perturb == "gaussian" or cfg.dist == UNIFORM else cfg.k
        seeds = np.array([seed], dtype=np.uint64)
        if cfg.dist == ICDF:  # the K*W-bit words of the shared WordBank
            self.words = WordBank(cfg.lfsr_cfg, seeds, per_lane=64, max_states=lanes)
            return
        self.bank = HwBank(perturb, seeds, cfg.w, cfg.state_w)
        # same words, fewer jump-ahead lanes: one generator, read in small steps
        self.bank.bank = WordBank(self.bank.bank.cfg, seeds, per_lane=64, max_states=lanes)

    def take(self, count: int) -> np.ndarray:
        cfg = self.cfg
        if cfg.dist == ICDF:
            return gauss_icdf.icdf(self.words.words(count), cfg.k * cfg.w, cfg.w)
        raw = self.bank.take(self.per_take * count)
        if self.per_take == 1:
            return raw
        return raw.reshape(1, count, self.per_take).sum(axis=2)


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
        base = train_config(replace(cfg, dist=UNIFORM, k=1, num_w=cfg.w + 1))
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
    return derived_seeds(run_seed, SEED_TAG, lanes)
