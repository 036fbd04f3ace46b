"""RTL-facing view of the PeZO pool (rtl/pezo_pool.v) and scale stage (rtl/pezo_scale.v).

Nothing here re-derives a number: PoolModel drives ref_model.perturb.Perturbations (reuse
pool, generator hw, fixed arithmetic) one perturbation per hardware step, and the scale
helpers call ref_model.scaling. What this module adds is the hardware's view:

- PoolConfig / ScaleConfig: the Verilog parameters, rejected with the RTL's wording;
  ScaleConfig.multiplier/error: what the stage does with the scale_* fields in its form.
- law_multiplier(word_w, n_terms): the M of the fixed forms (SCALE_M), the greedy terms of
  the uniform law's scale, as the reference's fixed and folded perturbations use it.
- fill_seed(run_seed): the 32-bit seed the training reference loads into its LFSR
  (sources.derived_seeds(run_seed, SeedStream.PERTURBATIONS, 1)[0]); the bench writes it
  to fill_seed_i.
- host_terms(sumsq, n, word_w, k): what the host computes from fill_sumsq_o. It is the same
  float computation as Perturbations._fill_pool (mean of v^2 / 4^W is exact in float64
  before the one division by N), so the terms are identical.
- scale_fields(terms, ...): the register encoding of the terms (enable, negative, shift =
  e - E_MIN) and scale_multiplier(...) the integer M the stage multiplies by.

One hardware step = one perturbation. With queries q > 1 per training step the host
programs cfg_refresh_i = R * q (refresh before perturbation k with k mod (R q) == 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ref_model import numgen_uniform, scaling
from ref_model.config import FixedFormat, TrainConfig
from ref_model.errors import ConfigError
from ref_model.source_table import ScaleMode

# ref_model.perturb and ref_model.sources import torch: imported where needed, so the scale
# bench (which needs only the scaling helpers) starts without it.

SHIFT_MAX = scaling.E_MAX - scaling.E_MIN  # 16: shifts 0..16 realise 2^-12 .. 2^4
FIXED_M = 7104  # SCALE_M's default: 3 greedy terms of sqrt(3), 2^13 - 2^10 - 2^6


@dataclass(frozen=True)
class PoolConfig:
    """Parameters of one pezo_pool instance (same names as the Verilog)."""

    pool_n: int = 64
    lanes: int = 4
    num_w: int = 9
    d_w: int = 16
    r_w: int = 16
    addr_w: int | None = None  # None: ceil(log2(pool_n))
    state_w: int = 32

    def __post_init__(self) -> None:
        if self.addr_w is None:
            object.__setattr__(self, "addr_w", max(1, math.ceil(math.log2(max(2, self.pool_n)))))
        validate_pool(self)

    @property
    def word_w(self) -> int:
        return self.num_w - 1

    @property
    def sumsq_w(self) -> int:
        return 2 * self.num_w + self.addr_w

    def verilog_parameters(self) -> dict[str, int]:
        return {"POOL_N": self.pool_n, "LANES": self.lanes, "NUM_W": self.num_w,
                "D_W": self.d_w, "R_W": self.r_w, "ADDR_W": self.addr_w,
                "STATE_W": self.state_w}

    def check_step(self, d: int) -> None:
        """The runtime rule the engine enforces with cfg_err_o."""
        if d <= 0:
            raise ConfigError(f"d={d}: a step needs d >= 1")
        if d % self.pool_n == 0:
            raise ConfigError(
                f"pool size {self.pool_n} divides d={d}: the offset never moves, every step's "
                f"perturbation would be identical")
        if d >= 1 << self.d_w:
            raise ConfigError(f"d={d} does not fit D_W={self.d_w} bits")


def validate_pool(cfg: PoolConfig) -> None:
    """Reject what the RTL's elaboration checks reject, in their words and order."""
    addr_w_min = max(1, math.ceil(math.log2(max(1, cfg.pool_n))))
    if cfg.lanes < 1:
        raise ConfigError(f"LANES={cfg.lanes} unsupported, need >= 1")
    if cfg.pool_n < 2:
        raise ConfigError(f"POOL_N={cfg.pool_n} unsupported, need >= 2")
    if cfg.pool_n % cfg.lanes:
        raise ConfigError(f"POOL_N={cfg.pool_n} unsupported, need a multiple of LANES={cfg.lanes}")
    if not addr_w_min <= cfg.addr_w <= 24:
        raise ConfigError(f"ADDR_W={cfg.addr_w} unsupported, need {addr_w_min}..24 "
                          "(2^ADDR_W >= POOL_N)")
    if not 3 <= cfg.num_w <= 17:
        raise ConfigError(f"NUM_W={cfg.num_w} unsupported, need 3..17")
    if cfg.num_w - 1 > cfg.state_w:
        raise ConfigError(f"NUM_W={cfg.num_w} unsupported, need <= {cfg.state_w + 1} "
                          "(NUM_W-1 <= STATE_W)")
    if not 2 <= cfg.d_w <= 30:
        raise ConfigError(f"D_W={cfg.d_w} unsupported, need 2..30")
    if not 1 <= cfg.r_w <= 30:
        raise ConfigError(f"R_W={cfg.r_w} unsupported, need 1..30")


@dataclass(frozen=True)
class ScaleConfig:
    """Parameters of one pezo_scale instance (same names as the Verilog)."""

    lanes: int = 4
    num_w: int = 9
    terms: int = 3
    shift_max: int = SHIFT_MAX
    scale_mode: int = ScaleMode.RUNTIME
    scale_m: int = FIXED_M    # the fixed M (SCALE_MODE 1, 2)
    out_w: int | None = None  # None: the minimum (min_out_w)

    def __post_init__(self) -> None:
        if self.out_w is None:
            object.__setattr__(self, "out_w", self.min_out_w)
        validate_scale(self)

    @classmethod
    def from_verilog(cls, p: dict[str, int]) -> ScaleConfig:
        """The configuration of Verilog parameters p (RTL defaults for those missing)."""
        return cls(**{name.lower(): p[name] for name in VERILOG_NAMES if name in p})

    @property
    def fixed(self) -> bool:
        return self.scale_mode != ScaleMode.RUNTIME

    @property
    def fold(self) -> int:
        """FOLD: the power of two of M the folded form leaves to the consumer (else 0)."""
        if self.scale_mode != ScaleMode.FOLDED or self.scale_m < 1:
            return 0
        return scaling.folded(self.scale_m)[1]

    @property
    def fixed_m(self) -> int:
        """What a fixed form multiplies by: SCALE_M >> FOLD."""
        return self.scale_m >> self.fold if self.scale_m >= 1 else 1

    @property
    def min_out_w(self) -> int:
        if self.fixed:
            return self.num_w + clog2(self.fixed_m)
        return self.num_w + self.shift_max + clog2(self.terms + 1)

    @property
    def shift_w(self) -> int:
        return max(1, clog2(self.shift_max + 1))

    def multiplier(self, en: int, neg: int, shifts: list[int]) -> int:
        """The M the stage applies with scale_* fields en, neg, shifts (ignored if fixed)."""
        return self.fixed_m if self.fixed else fields_multiplier(en, neg, shifts, self.shift_max)

    def error(self, en: int, shifts: list[int]) -> int:
        """scale_err_o for those fields (a fixed form never raises it)."""
        return 0 if self.fixed else fields_error(en, shifts, self.shift_max)

    def verilog_parameters(self) -> dict[str, int]:
        """The parameters; the programmable form leaves SCALE_MODE, SCALE_M at the RTL's
        defaults (its parameter sets, cache keys and calibrations stay those of before)."""
        names = VERILOG_NAMES if self.fixed else tuple(n for n in VERILOG_NAMES
                                                       if n not in FIXED_NAMES)
        return {name: int(getattr(self, name.lower())) for name in names}


VERILOG_NAMES = ("LANES", "NUM_W", "TERMS", "SHIFT_MAX", "SCALE_MODE", "SCALE_M", "OUT_W")
FIXED_NAMES = ("SCALE_MODE", "SCALE_M")


def clog2(value: int) -> int:
    """Verilog's $clog2 for value >= 1: bits to count 0..value-1."""
    return (value - 1).bit_length()


def validate_scale(cfg: ScaleConfig) -> None:
    if cfg.lanes < 1:
        raise ConfigError(f"LANES={cfg.lanes} unsupported, need >= 1")
    if not 2 <= cfg.num_w <= 32:
        raise ConfigError(f"NUM_W={cfg.num_w} unsupported, need 2..32")
    if not 1 <= cfg.terms <= 8:
        raise ConfigError(f"TERMS={cfg.terms} unsupported, need 1..8")
    if not 1 <= cfg.shift_max <= 31:
        raise ConfigError(f"SHIFT_MAX={cfg.shift_max} unsupported, need 1..31")
    if cfg.scale_mode not in tuple(ScaleMode):
        raise ConfigError(f"SCALE_MODE={cfg.scale_mode} unsupported, need 0..2")
    if cfg.fixed and cfg.scale_m < 1:
        raise ConfigError(f"SCALE_M={cfg.scale_m} unsupported, need >= 1 (SCALE_MODE 1, 2)")
    rule = ("NUM_W + clog2(SCALE_M >> FOLD)" if cfg.fixed
            else "NUM_W + SHIFT_MAX + clog2(TERMS+1)")
    if not cfg.min_out_w <= cfg.out_w <= 64:
        raise ConfigError(f"OUT_W={cfg.out_w} unsupported, need {cfg.min_out_w}..64 ({rule})")


def fill_seed(run_seed: int) -> int:
    """The 32-bit LFSR seed the training reference derives for run seed `run_seed`."""
    from ref_model.source_table import SeedStream
    from ref_model.sources import derived_seeds

    return int(derived_seeds(run_seed, SeedStream.PERTURBATIONS, 1)[0])


def train_config(cfg: PoolConfig, run_seed: int, refresh: int = 0,
                 perturb: str = "uniform", scale_terms: int = 3) -> TrainConfig:
    """The training configuration whose perturbations the pool hardware must equal."""
    return TrainConfig(perturb=perturb, generator="hw", reuse="pool", pool_size=cfg.pool_n,
                       pool_refresh=refresh, arith="fixed", queries=1, seed=run_seed,
                       scale_terms=scale_terms, lfsr_state_w=cfg.state_w,
                       fmt=FixedFormat(z_word=cfg.word_w))


class PoolModel:
    """The training reference, stepped like the hardware: step(d) -> z_t as ints.

    d may change from step to step (the hardware samples cfg_d_i per step); the
    reference's offset arithmetic does not depend on d being constant.
    """

    def __init__(self, cfg: PoolConfig, run_seed: int, refresh: int = 0,
                 perturb: str = "uniform", scale_terms: int = 3):
        from ref_model.perturb import Perturbations

        self.cfg, self.run_seed = cfg, run_seed
        self.src = Perturbations(train_config(cfg, run_seed, refresh, perturb, scale_terms), 1)
        self.last: list[int] | None = None

    @property
    def seed(self) -> int:
        return fill_seed(self.run_seed)

    @property
    def offset(self) -> int:
        """o_t of the next step."""
        return self.src.offset

    @property
    def pool(self) -> np.ndarray:
        return self.src.pool

    @property
    def sumsq(self) -> int:
        return int(np.sum(self.src.pool.astype(np.int64) ** 2))

    @property
    def terms(self) -> list[tuple[int, int]]:
        return list(self.src.terms)

    def step(self, d: int) -> list[int]:
        self.cfg.check_step(d)
        self.src.d = d
        self.last = [int(v) for v in self.src.next_step()[0]]
        return self.last


def host_terms(sumsq: int, n: int, word_w: int, n_terms: int) -> list[tuple[int, int]]:
    """Greedy shift-add terms for c = 1/sqrt(m2), m2 = sumsq / N / 4^W (host software)."""
    m2 = (sumsq / 4.0 ** word_w) / n
    return scaling.shift_add_terms(1.0 / np.sqrt(m2), n_terms)


def law_multiplier(word_w: int, n_terms: int) -> int:
    """SCALE_M of the fixed forms: M of the greedy terms of 1/sqrt(m2), m2 the second
    moment of the pool's uniform law ((1 - 4^-W)/3), as Perturbations sets it."""
    m2 = numgen_uniform.law(word_w, 1)[1]
    return scale_multiplier(scaling.shift_add_terms(1.0 / np.sqrt(m2), n_terms))


def scale_multiplier(terms: list[tuple[int, int]]) -> int:
    """M = sum s_k 2^(e_k + S), S = -E_MIN (as Perturbations._set_scale)."""
    return int(sum(s << (e - scaling.E_MIN) for s, e in terms))


def scale_fields(terms: list[tuple[int, int]], n_terms: int) -> tuple[int, int, list[int]]:
    """(enable mask, negative mask, shifts) for the scale_* registers."""
    if len(terms) > n_terms:
        raise ConfigError(f"{len(terms)} scale terms given, the stage has TERMS={n_terms}")
    en = neg = 0
    shifts = [0] * n_terms
    for k, (sign, e) in enumerate(terms):
        shift = e - scaling.E_MIN
        if not 0 <= shift <= SHIFT_MAX:
            raise ConfigError(f"scale term 2^{e} outside 2^{scaling.E_MIN}..2^{scaling.E_MAX}")
        en |= 1 << k
        neg |= (sign < 0) << k
        shifts[k] = shift
    return en, neg, shifts


def fields_multiplier(en: int, neg: int, shifts: list[int], shift_max: int = SHIFT_MAX) -> int:
    """M realised by raw register fields (any combination); shifts > shift_max are ignored."""
    return sum((-1 if neg >> k & 1 else 1) << s for k, s in enumerate(shifts)
               if en >> k & 1 and s <= shift_max)


def fields_error(en: int, shifts: list[int], shift_max: int = SHIFT_MAX) -> int:
    """scale_err_o: an enabled term's shift exceeds SHIFT_MAX."""
    return int(any(en >> k & 1 and s > shift_max for k, s in enumerate(shifts)))
