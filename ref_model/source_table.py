"""The perturbation sources: one row per source, everything else derives from the table.

A source is a reuse kind (the PeZO pool, the RNG array, or the reference's ideal fresh
numbers) fed by a number generator (`Dist`, rtl/pezo_numgen.v's DIST) with its
parameters. Bench variants, RTL file lists, the CLI's choices, the RTL twin's mapping,
the study and the benchmark read this table.

Each `Dist` names its bit-exact model module ref_model/<model>.py, which provides

    RTL_FILES                  the generator's own rtl/*.v (besides pezo_numgen.v)
    NORMAL                     True: the numbers are meant to be N(0, 1)
    check(w, k)                the generator's elaboration checks (ConfigError, RTL wording)
    need_width(w, k)           bits of one number (the least NUM_W)
    frac(w, k)                 fraction bits that give the numbers variance ~1
    numbers(words, w, k)       (n, count * k) W-bit LFSR words -> (n, count) int64 numbers
                               (k consecutive words per number: one K*W-bit word, first
                               word in the low bits)
    law(w, k)                  (cdf, variance, kurtosis) the numbers approximate

How to add a number generator: its RTL file, its model module, an arm in
rtl/pezo_numgen.v, a `Dist` member and a row in SOURCES.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from types import MappingProxyType, ModuleType

from ref_model.errors import ConfigError


class Dist(IntEnum):
    """The DIST parameter of rtl/pezo_numgen.v and rtl/pezo_rng_array.v; each member is
    (its DIST value, the name of its model module in ref_model/)."""

    def __new__(cls, value: int, model: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.model_name = model
        return member

    UNIFORM = 0, "numgen_uniform"   # 2*s + 1 of a signed W-bit word
    CLT = 1, "gauss_clt"            # sum of K uniforms (Irwin-Hall)
    ICDF = 2, "gauss_icdf"          # piecewise-quadratic inverse CDF of a K*W-bit word
    BOX_MULLER = 3, "gauss_bm"      # sqrt(-2 ln Q) cos(2 pi A) of a K*W-bit word

    @property
    def model(self) -> ModuleType:
        """The generator's bit-exact model module (see the module docstring)."""
        return importlib.import_module(f"ref_model.{self.model_name}")


class ScaleMode(IntEnum):
    """The SCALE_MODE parameter of rtl/pezo_scale.v: where the scale's multiplier M comes
    from (docs/pool-and-scale.md, "Three forms of the scale")."""

    RUNTIME = 0   # terms written at run time; a pool's are recomputed after every fill
    FIXED = 1     # M fixed at elaboration: the greedy terms of the numbers' law
    FOLDED = 2    # as FIXED, with M's power of two left to the engine's shifts

    @property
    def adaptive(self) -> bool:
        """The scale follows the realised pool (recomputed at every fill)."""
        return self is ScaleMode.RUNTIME


class Reuse(StrEnum):
    """How numbers are reused across a perturbation vector (ref_model.perturb)."""

    FRESH = "fresh"   # reference only: every number new
    POOL = "pool"     # a pool of N numbers read at a rotating offset (rtl/pezo_pool.v)
    ARRAY = "array"   # one generator per lane, rotated every clock (rtl/pezo_rng_array.v)


class SeedStream(IntEnum):
    """The `tag` of ref_model.sources.derived_seeds: one random stream per use."""

    BATCHES = 1         # the training batches (ref_model.data)
    PERTURBATIONS = 2   # the perturbation generators (pool fill seed, array seeds)
    ROUNDING = 3        # the stochastic-rounding LFSR of fixed-point updates


# pezo_train_top parameters that tell engine rows apart although not every row names them,
# with their RTL defaults: pool-scaled is SOURCE 1 with the default SCALE_MODE
FORM_DEFAULTS: Mapping[str, int] = MappingProxyType({"SCALE_MODE": int(ScaleMode.RUNTIME)})

LFSR_FILE = "rtl/pezo_lfsr.v"
POOL_FILES = (LFSR_FILE, "rtl/pezo_pool.v")
SCALE_FILE = "rtl/pezo_scale.v"


def numgen_files() -> tuple[str, ...]:
    """pezo_rng_array and pezo_numgen with every generator they can instantiate."""
    own = tuple(f for dist in Dist for f in dist.model.RTL_FILES)
    return (LFSR_FILE, *own, "rtl/pezo_numgen.v", "rtl/pezo_rng_array.v")


@dataclass(frozen=True)
class PerturbationSource:
    """One perturbation source.

    name        CLI and variant name
    reuse       pool, array or fresh
    dist        the number generator (pool sources: the uniform numbers of pezo_lfsr)
    k           LFSR words per number (DIST's K)
    perturb     the reference's perturbation (TrainConfig.perturb); None: block bench only
    scaled      the adaptive-scaling stage (rtl/pezo_scale.v) follows the source
    scale_mode  its form (ScaleMode, SCALE_MODE): programmable, fixed or folded
    top_params  the complete rtl/pezo_train_top.v parameters selecting it; {}: not in
                the training engine
    train_variant  the stem of its training-bench variant names (e.g. pool_h8;
                   default: the name with '_' for '-')
    variant     the block-bench variant name (array sources) and its
    bench       other pezo_rng_array parameters (lanes, w, state_w)
    """

    name: str
    reuse: Reuse
    dist: Dist | None
    k: int = 1
    perturb: str | None = None
    scaled: bool = False
    scale_mode: ScaleMode = ScaleMode.RUNTIME
    top_params: Mapping[str, int] = field(default_factory=dict)
    train_variant: str | None = None
    variant: str | None = None
    bench: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "top_params", MappingProxyType(dict(self.top_params)))
        object.__setattr__(self, "bench", MappingProxyType(dict(self.bench)))
        if self.top_params and not self.train_variant:  # named after the row by default
            object.__setattr__(self, "train_variant", self.name.replace("-", "_"))

    def selected_by(self, params: Mapping[str, int]) -> bool:
        """pezo_train_top parameters `params` select this row: its top_params, and the RTL
        default of every FORM_DEFAULTS parameter it does not name (absent = default)."""
        want = {**FORM_DEFAULTS, **self.top_params}
        return all(params.get(name, FORM_DEFAULTS.get(name)) == value
                   for name, value in want.items())

    @property
    def normal(self) -> bool:
        """Numbers meant to be N(0, 1): judged against it, run on the gauss bench."""
        return self.dist is not None and self.dist.model.NORMAL

    @property
    def gaussian(self) -> bool:
        """Numbers meant to be Gaussian, exactly or approximately (CLT): their ideal twin
        is torch's randn."""
        return self.dist not in (None, Dist.UNIFORM)

    @property
    def rtl_files(self) -> tuple[str, ...]:
        """The rtl/*.v files the source needs."""
        if self.reuse is Reuse.POOL:
            return POOL_FILES + ((SCALE_FILE,) if self.scaled else ())
        if self.reuse is Reuse.ARRAY:
            return numgen_files()
        return ()

    @property
    def in_engine(self) -> bool:
        return bool(self.top_params)

    @property
    def block_bench(self) -> str | None:
        """The block bench running the source's variant: `array` for the engine's array
        sources, `gauss` for the Gaussians and bench-only generators."""
        if self.reuse is not Reuse.ARRAY or self.variant is None:
            return None
        return "gauss" if self.normal or not self.in_engine else "array"


SOURCES: tuple[PerturbationSource, ...] = (
    PerturbationSource("pool", Reuse.POOL, Dist.UNIFORM, perturb="uniform",
                       top_params={"SOURCE": 0}, train_variant="pool"),
    PerturbationSource("pool-scaled", Reuse.POOL, Dist.UNIFORM, perturb="uniform-scaled",
                       scaled=True, top_params={"SOURCE": 1}, train_variant="scaled"),
    # the cheap forms: the scale of the uniform law (not of the realised pool), fixed at
    # elaboration; folded: its power of two taken by the engine's shifts (narrower z)
    PerturbationSource("pool-scaled-fixed", Reuse.POOL, Dist.UNIFORM,
                       perturb="uniform-scaled-fixed", scaled=True, scale_mode=ScaleMode.FIXED,
                       top_params={"SOURCE": 1, "SCALE_MODE": 1}, train_variant="scaled_fixed"),
    PerturbationSource("pool-scaled-folded", Reuse.POOL, Dist.UNIFORM,
                       perturb="uniform-scaled-folded", scaled=True,
                       scale_mode=ScaleMode.FOLDED, top_params={"SOURCE": 1, "SCALE_MODE": 2},
                       train_variant="scaled_folded"),
    PerturbationSource("array-uniform", Reuse.ARRAY, Dist.UNIFORM, perturb="uniform",
                       top_params={"SOURCE": 2, "DIST": 0, "K": 1}, train_variant="array",
                       variant="n4u8", bench={"lanes": 4, "w": 8}),
    PerturbationSource("array-clt", Reuse.ARRAY, Dist.CLT, k=3, perturb="gaussian",
                       top_params={"SOURCE": 2, "DIST": 1, "K": 3}, train_variant="gauss",
                       variant="n5g8", bench={"lanes": 5, "w": 8}),
    # K = 12 = 3*4: variance 4, read with W+1 fraction bits; 5-bit words of a 64-bit LFSR
    PerturbationSource("array-clt12", Reuse.ARRAY, Dist.CLT, k=12,
                       variant="n3c12", bench={"lanes": 3, "w": 5, "state_w": 64}),
    # the inverse CDF of a 32-bit word (K*W = 4*8), 8 fraction bits
    PerturbationSource("array-icdf", Reuse.ARRAY, Dist.ICDF, k=4, perturb="gaussian-icdf",
                       top_params={"SOURCE": 2, "DIST": 2, "K": 4}, train_variant="array_icdf",
                       variant="n3icdf", bench={"lanes": 3, "w": 8}),
    # Box-Muller on a 32-bit word (K*W = 4*8: 16 radius bits, 16 angle bits), 8 fraction bits
    PerturbationSource("array-box-muller", Reuse.ARRAY, Dist.BOX_MULLER, k=4,
                       perturb="gaussian-bm", top_params={"SOURCE": 2, "DIST": 3, "K": 4},
                       train_variant="array_box_muller",
                       variant="n3bm", bench={"lanes": 3, "w": 8}),
    # the reference's baseline: the raw unsigned word, value in [0, 1)
    PerturbationSource("fresh-uniform01", Reuse.FRESH, None, perturb="uniform01"),
)


def by_name(name: str) -> PerturbationSource:
    """The source called `name`, or ConfigError listing the names."""
    for source in SOURCES:
        if source.name == name:
            return source
    raise ConfigError(f"unknown perturbation source '{name}': choose one of "
                      f"{', '.join(s.name for s in SOURCES)}")


def engine_sources() -> tuple[PerturbationSource, ...]:
    """The sources the RTL training engine can select (`pezo train --rtl`)."""
    return tuple(s for s in SOURCES if s.in_engine)


def engine_files() -> tuple[str, ...]:
    """The rtl/*.v files the training engine's sources need (each once)."""
    return tuple(dict.fromkeys(f for s in engine_sources() for f in s.rtl_files))


def by_top_params(params: Mapping[str, int]) -> PerturbationSource:
    """The engine source that pezo_train_top parameters `params` select."""
    for source in engine_sources():
        if source.selected_by(params):
            return source
    raise ConfigError("no perturbation source has parameters "
                      + ", ".join(f"{n}={params.get(n)}"
                                  for n in ("SOURCE", "DIST", "K", *FORM_DEFAULTS)
                                  if n in params))


def bench_sources(bench: str) -> tuple[PerturbationSource, ...]:
    """The sources whose variants block bench `bench` (array, gauss) runs."""
    return tuple(s for s in SOURCES if s.block_bench == bench)


def perturbations() -> tuple[str, ...]:
    """The reference's perturbations (TrainConfig.perturb choices), in table order."""
    return tuple(dict.fromkeys(s.perturb for s in SOURCES if s.perturb is not None))


def perturbation(name: str) -> PerturbationSource:
    """The first source making reference perturbation `name` (the sources naming one
    perturbation agree on its numbers: dist, k, scaled, scale_mode)."""
    for s in SOURCES:
        if s.perturb == name:
            return s
    raise ConfigError(f"unknown perturbation '{name}': choose one of {', '.join(perturbations())}")
