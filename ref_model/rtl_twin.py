"""The training reference, seen from the RTL training engine (rtl/pezo_train_top.v).

Nothing here re-derives arithmetic: the expected per-step trace comes from
ref_model.step.fixed_step on the perturbations of ref_model.perturb.Perturbations,
with the trainer's own set-up (ref_model.trainer.RunSetup: data split, batches, initial
weights). What this module adds is the hardware's view:

- the perturbation source a parameter set selects: ref_model.source_table's row whose
  top_params it carries (reuse, perturbation, scaling all come from that row).
- train_config(params, ...): the TrainConfig whose run the RTL must equal bit for bit.
- Twin: register values (shifts of FixedShifts, batch, seeds, scale terms), the
  samples of every step, and step() -> the expected StepRecord.
- weight_signature(theta): the engine's per-step WSIG register, sum_j theta_j (j+1)
  mod 2^32 (cheap in hardware, catches any single-word difference); the sha256
  weights_hash of ref_model.trace is compared on full read-backs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ref_model import data, pool_model, train_regmap
from ref_model.config import FixedFormat, TrainConfig
from ref_model.errors import ConfigError
from ref_model.fixed_run import FixedRun, initial_fixed_theta
from ref_model.layout import dimension
from ref_model.source_table import (
    PerturbationSource,
    Reuse,
    SeedStream,
    by_top_params,
    engine_sources,
)
from ref_model.sources import derived_seeds
from ref_model.trace import weights_hash
from ref_model.trainer import RunSetup

# register word addresses, fields and resets: generated from rdl/pezo_train_engine.rdl
REG = dict(train_regmap.ADDRESS)


def field_mask(reg: str, field: str) -> int:
    """The bits of `field` in register `reg`."""
    lsb, width = train_regmap.FIELDS[reg][field]
    return ((1 << width) - 1) << lsb


CTRL_START, CTRL_SETUP, CTRL_CLEAR = (field_mask("CTRL", f) for f in ("START", "SETUP", "CLEAR"))
ST_BUSY, ST_DONE, ST_SRC_IDLE, ST_SETUP_BUSY, ST_SRC_ERR, ST_FWD_BUSY = (
    field_mask("STATUS", f)
    for f in ("BUSY", "DONE", "SRC_IDLE", "SETUP_BUSY", "SRC_ERR", "FWD_BUSY"))
# STATUS error bits by short name ("batch" = ERR_BATCH, ...)
ERRORS = {f.removeprefix("ERR_").lower(): field_mask("STATUS", f)
          for f in train_regmap.FIELDS["STATUS"] if f.startswith("ERR_")}
ERROR_MASK = sum(ERRORS.values())
ID_VALUE = train_regmap.RESET["ID"]
SHIFT_RANGE = (-16, 47)   # L_MAX, R_MAX of the engine
QUERIES = (1, 2, 4, 8)     # the engine's QUERIES: a zbuf RAM for every query but the last
LOSSES = ("mse", "hinge")  # pezo_train_top's LOSS: 0, 1
SCALE_TERMS = 3          # pezo_train_top's TERMS: the programmable scale's term count
FIXED_TERMS = range(1, 9)  # term counts whose law M a fixed or folded SCALE_M may be


def engine_source(source: str | int | PerturbationSource) -> PerturbationSource:
    """A source of the engine by descriptor, name, or position in the table's engine rows."""
    if isinstance(source, PerturbationSource):
        return source
    rows = engine_sources()
    if isinstance(source, int):
        return rows[source]
    for row in rows:
        if row.name == source:
            return row
    raise ConfigError(f"the RTL engine has no source '{source}': choose one of "
                      f"{', '.join(r.name for r in rows)}")


def data_params(dataset: str, lanes: int) -> dict[str, int]:
    """N_IN and N_OUT for a data set: its features padded to a multiple of the MAC lanes
    (code-0 features, ref_model.data), its classes."""
    features, classes = data.shape(dataset)
    return {"N_IN": -(-features // lanes) * lanes, "N_OUT": classes}


def default_params(source: str | int | PerturbationSource = "pool", hidden: int = 16,
                   lanes: int = 4, pool_n: int = 2048, max_batch: int = 32,
                   z_word: int = 8, dataset: str = "digits", hidden2: int = 0,
                   loss: str = "mse") -> dict[str, int]:
    """HDL parameters of pezo_train_top: the source's top_params and the engine's; an RNG
    array's numbers exactly as wide as its generator needs (the top's NUM_W default fits
    every generator, the exact width is the hardware the benches and synthesis measure).
    N_HID2 (a second hidden layer of `hidden2` units) and LOSS appear only when not 0, so
    the one-hidden-layer MSE engine keeps its parameters (and its build)."""
    row = engine_source(source)
    shape = data_params(dataset, lanes)
    p = {**row.top_params, "N_IN": shape["N_IN"], "N_HID": hidden, "N_OUT": shape["N_OUT"],
         **({"N_HID2": hidden2} if hidden2 else {}),
         **({"LOSS": loss_code(loss)} if loss != "mse" else {}),
         "LANES": lanes, "Z_WORD": z_word, "POOL_N": pool_n,
         "POOL_ADDR_W": max(1, int(np.ceil(np.log2(max(2, pool_n))))),
         "MAX_BATCH": max_batch}
    if row.reuse is Reuse.ARRAY:
        p["NUM_W"] = row.dist.model.need_width(z_word, row.k)
    if row.scaled and not row.scale_mode.adaptive:
        p["SCALE_M"] = pool_model.law_multiplier(z_word, SCALE_TERMS)
    return p


def loss_code(loss: str) -> int:
    """pezo_train_top's LOSS for a reference loss name."""
    if loss not in LOSSES:
        raise ConfigError(f"the RTL engine has no loss '{loss}': choose one of "
                          f"{', '.join(LOSSES)}")
    return LOSSES.index(loss)


def loss_of(p: dict[str, int]) -> str:
    """The reference loss of parameters p (LOSS, default 0: mse)."""
    return LOSSES[p.get("LOSS", 0)]


def sizes_of(p: dict[str, int]) -> tuple[int, ...]:
    """The reference's layer sizes: N_IN-N_HID-N_OUT, or N_IN-N_HID-N_HID2-N_OUT."""
    hidden2 = p.get("N_HID2", 0)
    return (p["N_IN"], p["N_HID"], *((hidden2,) if hidden2 else ()), p["N_OUT"])


def sample_clocks(p: dict[str, int]) -> int:
    """pezo_train_fwd's clocks per sample: 2, then for every neuron of every layer its weight
    rows (fan-in / LANES) and its bias row (the hinge loss's 1 clock per forward not
    included)."""
    sizes = sizes_of(p)
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    return 2 + sum(n_out * (n_in // p["LANES"] + 1) for n_in, n_out in pairs)


def source_of(p: dict[str, int]) -> PerturbationSource:
    """The perturbation source pezo_train_top parameters p select (ConfigError if none)."""
    return by_top_params(p)


def fills_pool(p: dict[str, int]) -> bool:
    return source_of(p).reuse is Reuse.POOL


def pool_divides_d(p: dict[str, int]) -> bool:
    """A pool whose size divides d: its offset never moves, the engine refuses to step."""
    return fills_pool(p) and dimension_of(p) % p["POOL_N"] == 0


def check_params(p: dict[str, int]) -> None:
    """What the RTL's elaboration checks reject, in their words (pezo_train_top's, then
    pezo_train_engine's)."""
    if not 0 <= p["SOURCE"] <= 2:
        raise ConfigError(f"SOURCE={p['SOURCE']} unsupported, need 0..2")
    source = source_of(p)
    lanes, n_in, n_hid = p["LANES"], p["N_IN"], p["N_HID"]
    if lanes < 1 or lanes & (lanes - 1) or n_in % lanes or n_hid % lanes:
        raise ConfigError(f"LANES={lanes} unsupported, need a power of two dividing "
                          f"N_IN={n_in} and N_HID={n_hid}")
    for name in ("N_IN", "N_HID"):
        if p[name] < lanes:
            raise ConfigError(f"{name}={p[name]} unsupported, need >= {lanes} ({name} >= LANES)")
    n_hid2 = p.get("N_HID2", 0)
    if n_hid2 < 0 or n_hid2 % lanes:
        raise ConfigError(f"N_HID2={n_hid2} unsupported, need 0 or a multiple of {lanes} (LANES)")
    if not 0 <= p.get("LOSS", 0) <= 1:
        raise ConfigError(f"LOSS={p['LOSS']} unsupported, need 0..1 (0 MSE, 1 hinge)")
    mb = p["MAX_BATCH"]
    if not 2 <= mb <= 1024 or mb & (mb - 1):
        raise ConfigError(f"MAX_BATCH={mb} unsupported, need a power of two in 2..1024")
    d = dimension_of(p)
    if d > 65535:
        raise ConfigError(f"D={d} unsupported, need <= 65535 (D = weights and biases)")
    if p.get("QUERIES", 1) not in QUERIES:
        raise ConfigError(f"QUERIES={p['QUERIES']} unsupported, need 1, 2, 4 or 8")
    if p.get("ROUNDING", 0) not in (0, 1):
        raise ConfigError(f"ROUNDING={p['ROUNDING']} unsupported, need 0 (nearest) or 1 "
                          "(stochastic)")
    if source.reuse is Reuse.POOL:
        pool_model.PoolConfig(pool_n=p["POOL_N"], lanes=lanes, num_w=p["Z_WORD"] + 1,
                              addr_w=p["POOL_ADDR_W"])
    if source.scaled and not source.scale_mode.adaptive:
        check_fixed_scale(p)


def check_fixed_scale(p: dict[str, int]) -> None:
    """A fixed or folded scale: pezo_scale's checks, and SCALE_M an M of the reference (the
    greedy terms of the uniform law, which the twin's perturbations use)."""
    pool_model.ScaleConfig(lanes=p["LANES"], num_w=p["Z_WORD"] + 1, terms=SCALE_TERMS,
                           scale_mode=p["SCALE_MODE"],
                           scale_m=p.get("SCALE_M", pool_model.FIXED_M))
    scale_terms(p)


def scale_terms(p: dict[str, int]) -> int:
    """The reference's scale_terms for parameters p: SCALE_TERMS, or for a fixed or folded
    scale the fewest greedy terms whose law M is SCALE_M (e.g. 1: 8192, the power of two)."""
    source = source_of(p)
    if not source.scaled or source.scale_mode.adaptive:
        return SCALE_TERMS
    scale_m = p.get("SCALE_M", pool_model.FIXED_M)
    known = {k: pool_model.law_multiplier(p["Z_WORD"], k) for k in FIXED_TERMS}
    for k, m in known.items():
        if m == scale_m:
            return k
    raise ConfigError(f"SCALE_M={scale_m} is not a fixed scale of the reference: need one of "
                      f"{', '.join(str(m) for m in dict.fromkeys(known.values()))} "
                      f"({FIXED_TERMS[0]}..{FIXED_TERMS[-1]} greedy terms of the uniform law, "
                      f"Z_WORD={p['Z_WORD']})")


def dimension_of(p: dict[str, int]) -> int:
    return dimension(sizes_of(p))


def train_config(p: dict[str, int], seed: int, steps: int, batch: int = 32,
                 eps: float = 2.0 ** -6, lr: float = 2.0 ** -10,
                 dataset: str = "digits") -> TrainConfig:
    """The reference run the RTL with parameters p must equal."""
    source = source_of(p)
    rounding = "stochastic" if p.get("ROUNDING", 0) else "nearest"
    return TrainConfig(dataset=dataset, layers=sizes_of(p), loss=loss_of(p),
                       perturb=source.perturb, generator="hw", reuse=source.reuse.value,
                       pool_size=p["POOL_N"], pool_refresh=0,
                       array_size=p["LANES"], arith="fixed", eps=eps, lr=lr, batch=batch,
                       queries=p.get("QUERIES", 1), steps=steps, seed=seed,
                       scale_terms=scale_terms(p), rounding=rounding, lfsr_state_w=32,
                       fmt=FixedFormat(z_word=p["Z_WORD"]))


def weight_signature(theta: np.ndarray) -> int:
    """WSIG: sum_j theta_j * (j + 1) mod 2^32 (theta signed)."""
    t = theta.astype(np.int64)
    return int(np.sum((t * np.arange(1, t.size + 1, dtype=np.int64)) % (1 << 32)) % (1 << 32))


def to_u32(value: int) -> int:
    return int(value) & 0xFFFFFFFF


def from_u32(value: int) -> int:
    value = int(value) & 0xFFFFFFFF
    return value - (1 << 32) if value >> 31 else value


@dataclass(frozen=True)
class StepRecord:
    """Expected results of step t (after its update)."""

    step: int
    loss_plus: int
    loss_minus: int
    g_hat: int
    signature: int
    weights_hash: str
    theta: np.ndarray


class Twin:
    """The reference run of one RTL configuration, stepped like the hardware."""

    def __init__(self, params: dict[str, int], seed: int, steps: int, batch: int = 32,
                 eps: float = 2.0 ** -6, lr: float = 2.0 ** -10, dataset: str = "digits"):
        check_params(params)
        if not 1 <= batch <= params["MAX_BATCH"]:
            raise ConfigError(f"batch {batch} outside 1..MAX_BATCH={params['MAX_BATCH']}")
        self.params, self.seed = params, seed
        self.source = source_of(params)
        self.cfg = train_config(params, seed, steps, batch, eps, lr, dataset)
        self.run = RunSetup(self.cfg)
        self.d = self.run.d
        self.sizes = self.run.sizes
        self.fmt = self.cfg.fmt
        self.arith = FixedRun(self.run)  # the trainer's own steps: loss, queries, rounding
        self.shifts = self.arith.shifts
        for name in ("perturb", "g_hat", "update"):
            s = getattr(self.shifts, name)
            if not SHIFT_RANGE[0] <= s <= SHIFT_RANGE[1]:
                raise ConfigError(f"{name} shift {s} outside the engine's range {SHIFT_RANGE}")
        self.theta0 = initial_fixed_theta(self.run.theta0, self.cfg)
        self.theta = self.theta0.copy()
        self.t = 0

    @property
    def fills_pool(self) -> bool:
        """The source is a pool: CTRL.SETUP fills it, START before a fill is refused."""
        return self.source.reuse is Reuse.POOL

    @property
    def source_name(self) -> str:
        return self.source.name

    # ---------------------------------------------------------------- registers
    def config_writes(self, steps: int) -> list[tuple[str, int]]:
        """Run registers: batch, steps and the FixedShifts values (two's complement)."""
        return [("BATCH", self.cfg.batch), ("STEPS", steps),
                ("SHIFT_P", to_u32(self.shifts.perturb)), ("SHIFT_G", to_u32(self.shifts.g_hat)),
                ("SHIFT_U", to_u32(self.shifts.update))]

    def setup_writes(self) -> list[tuple[str, int]]:
        """Source set-up: pool fill (+ scale terms) or one seed load per generator.
        Each CTRL write with CTRL_SETUP must wait until STATUS.SETUP_BUSY is low."""
        if self.fills_pool:
            out = [("SEED", pool_model.fill_seed(self.seed)), ("CTRL", CTRL_SETUP)]
            if self.source.scaled and self.source.scale_mode.adaptive:
                out.append(("SCALE", self.scale_register()))
            return out + self.rounding_writes()
        seeds = derived_seeds(self.seed, SeedStream.PERTURBATIONS, self.params["LANES"])
        out = []
        for g, s in enumerate(seeds):
            out += [("SEED_IDX", g), ("SEED", int(s)), ("CTRL", CTRL_SETUP)]
        return out + self.rounding_writes()

    def rounding_writes(self) -> list[tuple[str, int]]:
        """ROUND_SEED: the seed of the trainer's stochastic-rounding stream (none when the
        update rounds to nearest)."""
        if self.cfg.rounding != "stochastic":
            return []
        return [("ROUND_SEED", int(derived_seeds(self.seed, SeedStream.ROUNDING, 1)[0]))]

    def scale_register(self) -> int:
        """SCALE: EN and NEG hold bit k of term k; SHIFT holds term k's shift at 5 k."""
        terms = self.run.perturbations.terms
        en, neg, shifts = pool_model.scale_fields(terms, SCALE_TERMS)
        fields = train_regmap.FIELDS["SCALE"]
        shift_lsb, shift_w = fields["SHIFT"]
        per_term = shift_w // SCALE_TERMS
        value = en << fields["EN"][0] | neg << fields["NEG"][0]
        for k, s in enumerate(shifts):
            value |= s << (shift_lsb + per_term * k)
        return value

    # ---------------------------------------------------------------- data
    def samples(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """(codes (B, N_IN) 0..16, labels (B,)) of step t's batch."""
        idx = self.run.batches[t]
        return self.run.data.train_codes[idx], self.run.data.train_labels[idx]

    # ---------------------------------------------------------------- reference steps
    def step(self) -> StepRecord:
        """Run the reference's step self.t; advance."""
        t = self.t
        z = self.run.perturbations.next_step()
        self.theta, sp, sm, g, _ = self.arith.step(self.theta, t, z)
        self.t += 1
        # the registers hold the last query's S+, S- and g (all of them reach the weights)
        return StepRecord(t, int(sp[-1]), int(sm[-1]), int(g[-1]),
                          weight_signature(self.theta), weights_hash(self.theta),
                          self.theta.copy())

    def readback_accuracy(self, theta: list[int]) -> float:
        """Test accuracy of a run's read-back weights; NaN when the run read back none."""
        return self.accuracy(np.array(theta)) if len(theta) == self.d else float("nan")

    def accuracy(self, theta: np.ndarray, part: str = "test") -> float:
        from ref_model import fixed_model
        x = self.run.data.inputs_fixed(part, self.fmt.x_frac)
        labels = getattr(self.run.data, f"{part}_labels")
        return fixed_model.accuracy(np.asarray(theta, dtype=np.int64), x, labels, self.sizes,
                                    self.fmt)
