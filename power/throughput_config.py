"""The perturbation subsystems compared at equal throughput (power/throughput.py).

Every configuration delivers P = `lanes` numbers per clock (the training top's MAC lanes:
LANES 4 by default, the engine consumes one perturbation number per lane per clock) and
serves each ZO step's perturbation three times (+eps pass, -eps pass, update) over d
numbers (d = 1210, the digits MLP 64-16-10). How a source serves the three uses is its
`policy`:

- "regenerate": the RNG array captures its generators' state at the step and replays it
  (pezo_rng_array's replay_i): the same numbers are computed again, nothing is stored.
- "pool": the PeZO pool re-reads the same d stored words (pezo_pool's replay_i).

Storing a Gaussian perturbation instead ("replay": a d-word buffer written on the first
pass, read on the other two) is not cheaper here: that buffer is a pool of d words (the
pool configurations measure one), so replay costs about the pool's area beside the
generator's, and the pool's power plus a third of the generator's (it then runs one pass
in three). `replay_bound` in power/throughput.py puts numbers on it from the measurements;
the Gaussian baselines regenerate.

Each configuration names the row of ref_model/source_table.py whose hardware it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ref_model import scaling, source_table
from ref_model.array_model import ArrayConfig
from ref_model.errors import ConfigError
from ref_model.pool_model import ScaleConfig
from ref_model.source_table import Dist, ScaleMode

D_DIGITS = 1210   # parameters of the digits MLP 64-16-10 (docs/ref-model.md)
LANES = 4         # numbers per clock: pezo_train_top's MAC lanes
POOL_WORD = 8     # the pool's LFSR word W (pezo_train_top's Z_WORD): NUM_W = 9
SCALE_TERMS = 3   # pezo_train_top's TERMS and SHIFT_MAX
SHIFT_MAX = 16
# the scale stage's forms (rtl/pezo_scale.v SCALE_MODE, docs/pool-and-scale.md)
SCALE_FORMS = {"programmable": ScaleMode.RUNTIME, "fixed": ScaleMode.FIXED,
               "folded": ScaleMode.FOLDED}
ARRAY_DISTS = {"uniform": Dist.UNIFORM, "clt": Dist.CLT, "icdf": Dist.ICDF,
               "box-muller": Dist.BOX_MULLER}


@dataclass(frozen=True)
class Config:
    """One perturbation subsystem at one size: the design and how it is driven.

    kind       "pool" (fill set-up, power/tb's PEZO_POOL) or "array" (one seed per generator)
    out_w      width of one output lane; state_w: the generators' seed width
    scale      (en, neg, shift) bit fields of the scale terms, or None (no scale stage)
    """

    name: str
    label: str
    family: str        # "gaussian" | "pezo"
    policy: str        # "regenerate" | "replay" | "pool"
    source: str        # the ref_model/source_table.py row
    top: str
    rtl_files: tuple[str, ...]
    params: Mapping[str, int]
    kind: str
    d: int
    lanes: int
    out_w: int
    state_w: int = 32
    scale: tuple[int, int, int] | None = None
    steps: int = 1     # ZO steps a run simulates (each step's three passes are alike)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def numbers_per_step(self) -> int:
        """Numbers delivered per ZO step: the three uses of a d-number perturbation."""
        return 3 * self.d


def _check_sizes(d: int, lanes: int) -> None:
    if not 1 <= lanes <= 64:
        raise ConfigError(f"lanes (P) must be 1..64, got {lanes}")
    if not 1 <= d <= 65535:
        raise ConfigError(f"d must be 1..65535, got {d}")


def smallest_pool(d: int, lanes: int) -> int:
    """The smallest legal pool holding a whole perturbation: N >= d, a multiple of P,
    d mod N != 0 (pezo_pool refuses d mod N = 0)."""
    n = -(-d // lanes) * lanes
    return n + lanes if d % n == 0 else n


def scale_fields(terms: list[tuple[int, int]]) -> tuple[int, int, int]:
    """pezo_scale's en, neg and shift ports for greedy terms [(sign, exponent)]."""
    shift_w = SHIFT_MAX.bit_length()
    en = neg = shift = 0
    for k, (sign, exponent) in enumerate(terms):
        en |= 1 << k
        neg |= (sign < 0) << k
        shift |= (exponent - scaling.E_MIN) << (k * shift_w)
    return en, neg, shift


def pool_config(n_words: int, lanes: int = LANES, scale: str | None = None,
                d: int = D_DIGITS) -> Config:
    """PeZO's pool of N = n_words numbers read at P = lanes per clock, with the adaptive
    scale (form `scale`) after it or none; N < d is legal (PeZO breaks there)."""
    _check_sizes(d, lanes)
    if n_words < 2 or n_words % lanes or d % n_words == 0 or n_words > 1 << 24:
        raise ConfigError(f"pool size N={n_words} unsupported: need 2..2^24, a multiple of "
                          f"P={lanes}, and d mod N != 0 (d={d})")
    if scale is not None and scale not in SCALE_FORMS:
        raise ConfigError(f"unknown scale form '{scale}': choose one of "
                          f"{', '.join(SCALE_FORMS)}")
    num_w = POOL_WORD + 1
    params = {"POOL_N": n_words, "LANES": lanes, "NUM_W": num_w,
              "ADDR_W": max(1, (n_words - 1).bit_length())}
    name = f"pezo-pool{n_words}" + (f"-{scale}" if scale else "") + f"-p{lanes}"
    if scale is None:
        return Config(name, f"PeZO pool N={n_words}", "pezo", "pool", "pool", "pezo_pool",
                      source_table.by_name("pool").rtl_files, params, "pool", d, lanes, num_w)
    mode = SCALE_FORMS[scale]
    row = next(s for s in source_table.SOURCES
               if s.reuse is source_table.Reuse.POOL and s.scaled and s.scale_mode is mode)
    stage = ScaleConfig(lanes=lanes, num_w=num_w, terms=SCALE_TERMS, shift_max=SHIFT_MAX,
                        scale_mode=mode)
    params |= {k: v for k, v in stage.verilog_parameters().items() if k not in params}
    # the programmable form's terms: sqrt(3), the ideal scale of a uniform U(-1, 1) (the
    # law's 1/3 second moment; the fixed forms' SCALE_M is the same greedy M)
    fields = scale_fields(scaling.shift_add_terms(3 ** 0.5, SCALE_TERMS))
    return Config(name, f"PeZO pool N={n_words} + {scale} scale", "pezo", "pool", row.name,
                  "pezo_perturb_pool_scaled",
                  (*row.rtl_files, "rtl/pezo_perturb_pool_scaled.v"), params, "pool", d,
                  lanes, stage.out_w, scale=fields)


def _array_row(dist: Dist, k: int) -> source_table.PerturbationSource:
    rows = [s for s in source_table.SOURCES if s.reuse is source_table.Reuse.ARRAY
            and s.dist is dist and (s.k == k or dist is not Dist.CLT)]
    if not rows:
        raise ConfigError(f"no RNG-array row of ref_model/source_table.py has {dist.name} "
                          f"with K={k}")
    return rows[0]


def array_config(lanes: int = LANES, dist: str = "uniform", k: int | None = None,
                 d: int = D_DIGITS) -> Config:
    """An RNG array of n = lanes generators of distribution `dist` (uniform: PeZO's
    on-the-fly array; clt/icdf/box-muller: the Gaussian baselines), regenerating on replay.
    K and the word width come from the source-table row (CLT: K picks the row)."""
    _check_sizes(d, lanes)
    if dist not in ARRAY_DISTS:
        raise ConfigError(f"unknown distribution '{dist}': choose one of "
                          f"{', '.join(ARRAY_DISTS)}")
    member = ARRAY_DISTS[dist]
    row = _array_row(member, k if k is not None else {Dist.CLT: 3}.get(member, 1))
    # the row's generator at n = lanes, checked as the RTL checks it
    hdl = ArrayConfig(lanes=lanes, dist=member, w=row.bench.get("w", 8), k=row.k,
                      state_w=row.bench.get("state_w", 32))
    if member is Dist.UNIFORM:
        name, label, family = f"pezo-array-p{lanes}", f"PeZO RNG array n={lanes}", "pezo"
    else:
        stem = {Dist.CLT: f"clt{row.k}", Dist.ICDF: "icdf", Dist.BOX_MULLER: "box-muller"}
        name = f"gauss-{stem[member]}-p{lanes}"
        label = f"Gaussian {stem[member].upper()} array, regenerate"
        family = "gaussian"
    return Config(name, label, family, "regenerate", row.name, "pezo_rng_array",
                  row.rtl_files, hdl.verilog_parameters(), "array", d, lanes, hdl.num_w,
                  hdl.state_w)


def comparison_configs(lanes: int = LANES, d: int = D_DIGITS) -> list[Config]:
    """Item 4's set at d, P numbers per clock: the Gaussian baselines (CLT-3, CLT-12,
    inverse CDF) against PeZO (the smallest pool N >= d with and without the scale, the
    uniform RNG array of n = P lanes)."""
    n = smallest_pool(d, lanes)
    return [array_config(lanes, "clt", 3, d), array_config(lanes, "clt", 12, d),
            array_config(lanes, "icdf", None, d), pool_config(n, lanes, None, d),
            *(pool_config(n, lanes, form, d) for form in SCALE_FORMS),
            array_config(lanes, "uniform", None, d)]


def by_name(name: str, lanes: int = LANES, d: int = D_DIGITS) -> Config:
    """The comparison configuration called `name`, or ConfigError listing the names."""
    configs = comparison_configs(lanes, d)
    for cfg in configs:
        if cfg.name == name:
            return cfg
    raise ConfigError(f"unknown throughput configuration '{name}': choose one of "
                      f"{', '.join(c.name for c in configs)}")
