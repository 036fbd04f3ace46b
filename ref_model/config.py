"""Training configuration of the ZO reference model, and its validation.

Every bad value raises ConfigError with a message naming the parameter. Validation
that needs the parameter count d (pool size against d) lives in `validate`, which
the trainer calls once the model layout is known.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field, fields

from ref_model import data, source_table
from ref_model.errors import ConfigError

PERTURBS = source_table.perturbations()
REUSES = tuple(r.value for r in source_table.Reuse)
GENERATORS = ("ideal", "hw")
ARITHS = ("float", "fixed")
LOSSES = ("mse", "hinge")
MODELS = ("mlp", "linear")
ROUNDINGS = ("nearest", "stochastic")


@dataclass(frozen=True)
class FixedFormat:
    """Bit widths of the fixed-point datapath (docs/ref-model.md, "Number formats").

    *_frac: fraction bits; *_bits: total two's-complement width (saturation bound).
    """

    x_frac: int = 4        # inputs: code/16 is exact with 4 fraction bits (ref_model.data)
    w_frac: int = 12       # weights and biases
    w_bits: int = 16
    a_frac: int = 8        # activations and outputs
    a_bits: int = 16
    z_word: int = 8        # perturbation word width W (LFSR OUT_W); raw numbers: W fraction bits
    g_frac: int = 16       # g_hat
    g_bits: int = 32


@dataclass(frozen=True)
class TrainConfig:
    """One training run. Defaults are the ones docs/ref-model.md reports."""

    dataset: str = "digits"    # a name of ref_model.data.NAMED or a .npz/.csv file
    model: str = "mlp"
    layers: tuple[int, ...] = (64, 16, 10)
    loss: str = "mse"
    perturb: str = "gaussian"
    generator: str = "ideal"
    reuse: str = "fresh"
    pool_size: int = 4096
    pool_refresh: int = 0      # refill the pool every R steps; 0: never
    array_size: int = 16
    arith: str = "float"
    eps: float = 2.0 ** -6
    lr: float = 2.0 ** -10
    batch: int = 32
    queries: int = 1
    steps: int = 100000
    seed: int = 0
    scale_terms: int = 3       # powers of two in the adaptive scale
    rounding: str = "nearest"  # weight-update rounding in fixed mode
    lfsr_state_w: int = 32
    eval_points: int = 40
    fmt: FixedFormat = field(default_factory=FixedFormat)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["layers"] = list(self.layers)
        return out

    @staticmethod
    def from_dict(data: dict) -> TrainConfig:
        data = dict(data)
        fmt = FixedFormat(**data.pop("fmt", {}))
        known = {f.name for f in fields(TrainConfig)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown configuration keys: {sorted(unknown)}")
        if "layers" in data:
            data["layers"] = tuple(data["layers"])
        return TrainConfig(fmt=fmt, **data)


def log2_exact(value: float, name: str) -> int:
    """k with value == 2**k, or ConfigError (fixed point needs shifts, not multipliers)."""
    if value <= 0:
        raise ConfigError(f"{name} must be > 0, got {value}")
    k = round(math.log2(value))
    if 2.0 ** k != value:
        raise ConfigError(f"{name}={value} is not a power of two; "
                          "fixed point realises it as a shift")
    return k


def _choice(value: str, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise ConfigError(f"unknown {name} '{value}': choose one of {', '.join(allowed)}")


def validate_basic(cfg: TrainConfig) -> None:
    """Checks that do not need the parameter count."""
    _choice(cfg.model, MODELS, "model")
    _choice(cfg.loss, LOSSES, "loss")
    _choice(cfg.perturb, PERTURBS, "perturbation")
    _choice(cfg.generator, GENERATORS, "generator")
    _choice(cfg.reuse, REUSES, "reuse mode")
    _choice(cfg.arith, ARITHS, "arithmetic")
    _choice(cfg.rounding, ROUNDINGS, "rounding")
    if len(cfg.layers) < 2 or any(int(n) <= 0 for n in cfg.layers):
        raise ConfigError(f"layers {list(cfg.layers)}: need >= 2 positive sizes")
    _validate_layers_fit_data(cfg)
    for name in ("eps", "lr"):
        value = getattr(cfg, name)
        if not (math.isfinite(value) and value > 0):
            raise ConfigError(f"{name} must be a finite number > 0, got {value}")
    for name in ("batch", "queries", "scale_terms", "eval_points"):
        if getattr(cfg, name) < 1:
            raise ConfigError(f"{name} must be >= 1, got {getattr(cfg, name)}")
    if cfg.steps < 0:
        raise ConfigError(f"steps must be >= 0, got {cfg.steps}")
    if cfg.seed < 0:
        raise ConfigError(f"seed must be >= 0, got {cfg.seed}")
    if cfg.pool_size < 1:
        raise ConfigError(f"pool size must be >= 1, got {cfg.pool_size}")
    if cfg.pool_refresh < 0:
        raise ConfigError(f"pool refresh must be >= 0 (0: never), got {cfg.pool_refresh}")
    if cfg.array_size < 1:
        raise ConfigError(f"array size n must be >= 1, got {cfg.array_size}")
    if cfg.arith == "fixed":
        _validate_fixed(cfg)
    if cfg.generator == "hw":
        _validate_generator(cfg)


def _validate_layers_fit_data(cfg: TrainConfig) -> None:
    """Inputs: the data set's features, or more (padded with code 0); outputs: its classes."""
    features, classes = data.shape(cfg.dataset)
    if cfg.layers[0] < features or cfg.layers[-1] != classes:
        raise ConfigError(
            f"layers {list(cfg.layers)} do not fit data set {cfg.dataset}: input must be "
            f">= {features} (its features), output {classes} (its classes)")
    if cfg.model == "linear" and len(cfg.layers) != 2:
        raise ConfigError(f"model linear has no hidden layer: layers must be {features},"
                          f"{classes}, got {list(cfg.layers)}")


def _validate_generator(cfg: TrainConfig) -> None:
    """The perturbation's number generator takes W = z_word (its model's checks)."""
    kind = source_table.perturbation(cfg.perturb)
    if kind.dist is not None:
        kind.dist.model.check(cfg.fmt.z_word, kind.k)


def _validate_fixed(cfg: TrainConfig) -> None:
    log2_exact(cfg.eps, "eps")
    log2_exact(cfg.lr, "lr")
    log2_exact(cfg.batch, "batch")
    log2_exact(cfg.queries, "queries")
    f = cfg.fmt
    if f.x_frac < 4:
        raise ConfigError(f"x_frac={f.x_frac}: inputs code/16 need >= 4 fraction bits")
    for name, frac, bits in (("w", f.w_frac, f.w_bits), ("a", f.a_frac, f.a_bits),
                             ("g", f.g_frac, f.g_bits)):
        if not 0 <= frac < bits <= 48:
            raise ConfigError(f"{name}_frac={frac}, {name}_bits={bits}: "
                              "need 0 <= frac < bits <= 48")
    if not 2 <= f.z_word <= 16:
        raise ConfigError(f"z_word={f.z_word}: need 2..16 bits")
    if cfg.fmt.z_word > cfg.lfsr_state_w:
        raise ConfigError(f"z_word={f.z_word} wider than the LFSR state ({cfg.lfsr_state_w})")


def validate(cfg: TrainConfig, d: int) -> None:
    """All checks, including those against the parameter count d."""
    validate_basic(cfg)
    if cfg.reuse == "pool":
        n = cfg.pool_size
        if d % n == 0:
            raise ConfigError(
                f"pool size {n} divides d={d}: the offset never moves, every step's "
                f"perturbation would be identical")
        if n < d:
            warnings.warn(
                f"pool size {n} < d={d}: every perturbation is periodic with period {n}, "
                f"ZO searches only an {n}-dimensional subspace", stacklevel=2)
