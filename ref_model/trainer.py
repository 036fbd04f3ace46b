"""ZO-SGD training runs on digits, float or fixed point, with the per-step trace.

run(cfg) -> RunResult. Random streams, all derived from cfg.seed:
    data split      sklearn random_state = seed
    initial theta   torch.Generator (ref_model.layout)
    batches         np.random.Generator, SeedSequence([seed, SeedStream.BATCHES])
                    (ref_model.data)
    perturbations   SeedSequence([seed, SeedStream.PERTURBATIONS]) (ref_model.perturb)
    stochastic rounding words  one LFSR (STATE_W 32, OUT_W 16),
                    SeedSequence([seed, SeedStream.ROUNDING]), d words per step, word j
                    rounds parameter j
Fixed mode starts from theta_int = saturate(floor(theta * 2^w_frac + 1/2), w_bits).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch

from ref_model import data, fixed_model, float_model
from ref_model.config import TrainConfig, validate
from ref_model.layout import dimension, init_theta
from ref_model.lfsr import LfsrConfig
from ref_model.perturb import Perturbations
from ref_model.rounding import saturate
from ref_model.source_table import SeedStream
from ref_model.sources import WordBank, derived_seeds
from ref_model.step import fixed_shifts, fixed_step, float_step
from ref_model.trace import Trace

SR_BITS = 16


@dataclass
class RunResult:
    config: dict
    d: int
    perturbation: dict
    final_loss: float
    test_accuracy: float
    train_accuracy: float
    curve_steps: list = field(default_factory=list)
    curve_loss: list = field(default_factory=list)
    curve_test_accuracy: list = field(default_factory=list)
    seconds: float = 0.0
    trace: Trace | None = None
    theta: np.ndarray | None = None

    def summary(self) -> dict:
        """JSON-ready fields (no trace, no weights)."""
        return {"seed": self.config["seed"], "steps": self.config["steps"], "d": self.d,
                "final_loss": self.final_loss, "test_accuracy": self.test_accuracy,
                "train_accuracy": self.train_accuracy, "perturbation": self.perturbation,
                "seconds": self.seconds,
                "curves": {"step": self.curve_steps, "loss": self.curve_loss,
                           "test_accuracy": self.curve_test_accuracy}}


def eval_steps(steps: int, points: int) -> list[int]:
    """Steps after which the curves are sampled (always includes 0 and `steps`)."""
    return sorted({0, steps, *(int(round(steps * k / points)) for k in range(1, points))})


class RunSetup:
    """Shared set-up of a run: data, initial weights, batches, perturbations."""

    def __init__(self, cfg: TrainConfig):
        self.cfg = cfg
        self.sizes = tuple(int(n) for n in cfg.layers)
        self.d = dimension(self.sizes)
        validate(cfg, self.d)
        self.digits = data.load(cfg.seed)
        self.batches = data.batch_indices(cfg.seed, self.digits.train_labels.size,
                                          cfg.steps, cfg.batch)
        self.perturbations = Perturbations(cfg, self.d)
        self.theta0 = init_theta(self.sizes, cfg.seed)


def _run_float(r: RunSetup, res: RunResult, marks: set[int]) -> None:
    cfg = r.cfg
    x = torch.from_numpy(r.digits.inputs("train"))
    labels = torch.from_numpy(r.digits.train_labels)
    target = torch.from_numpy(data.one_hot(r.digits.train_labels))
    xte, lte = torch.from_numpy(r.digits.inputs("test")), torch.from_numpy(r.digits.test_labels)
    theta = torch.from_numpy(r.theta0.copy())
    trace, window = Trace(cfg.steps, cfg.queries, fixed=False), []

    def mark(t):
        res.curve_steps.append(t)
        res.curve_loss.append(float(np.mean(window)) if window else float("nan"))
        res.curve_test_accuracy.append(float_model.accuracy(theta, xte, lte, r.sizes))
        window.clear()

    mark(0)
    for t in range(cfg.steps):
        idx = torch.from_numpy(r.batches[t])
        z = torch.from_numpy(r.perturbations.next_step())
        theta, lp, lm, g = float_step(theta, z, x[idx], target[idx], labels[idx],
                                      cfg.eps, cfg.lr, r.sizes, cfg.loss)
        trace.record(t, lp.numpy(), lm.numpy(), g.numpy(), theta.numpy())
        window.append(float((lp + lm).mean()) / 2)
        if t + 1 in marks:
            mark(t + 1)
    full = float_model.forward(theta.view(1, -1), x, r.sizes)
    res.final_loss = float(float_model.loss(full, target, labels, cfg.loss)[0])
    res.train_accuracy = float_model.accuracy(theta, x, labels, r.sizes)
    res.test_accuracy = res.curve_test_accuracy[-1]
    res.trace, res.theta = trace, theta.numpy().copy()


def initial_fixed_theta(theta: np.ndarray, cfg: TrainConfig) -> np.ndarray:
    """theta_int = saturate(floor(theta * 2^w_frac + 1/2), w_bits)."""
    q = np.floor(theta * 2.0 ** cfg.fmt.w_frac + 0.5).astype(np.int64)
    return saturate(q, cfg.fmt.w_bits)


def _run_fixed(r: RunSetup, res: RunResult, marks: set[int]) -> None:
    cfg, fmt = r.cfg, r.cfg.fmt
    fixed_model.check_widths(r.sizes, fmt)
    sh = fixed_shifts(cfg.eps, cfg.lr, cfg.queries, cfg.batch, r.perturbations.z_frac,
                      cfg.loss, fmt)
    x = r.digits.inputs_fixed("train", fmt.x_frac)
    labels = r.digits.train_labels
    xte, lte = r.digits.inputs_fixed("test", fmt.x_frac), r.digits.test_labels
    theta = initial_fixed_theta(r.theta0, cfg)
    sr = None
    if cfg.rounding == "stochastic":
        sr = WordBank(LfsrConfig(32, SR_BITS), derived_seeds(cfg.seed, SeedStream.ROUNDING, 1))
    trace, window = Trace(cfg.steps, cfg.queries, fixed=True), []
    scale = 2.0 ** -sh.loss_frac

    def mark(t):
        res.curve_steps.append(t)
        res.curve_loss.append(float(np.mean(window)) * scale if window else float("nan"))
        res.curve_test_accuracy.append(fixed_model.accuracy(theta, xte, lte, r.sizes, fmt))
        window.clear()

    mark(0)
    for t in range(cfg.steps):
        idx = r.batches[t]
        z = r.perturbations.next_step()
        words = sr.words(r.d)[0] if sr is not None else None
        theta, sp, sm, g = fixed_step(theta, z, x[idx], labels[idx], sh, r.sizes, cfg.loss,
                                      fmt, words, SR_BITS)
        trace.record(t, sp, sm, g, theta)
        window.append(float((sp + sm).mean()) / 2)
        if t + 1 in marks:
            mark(t + 1)
    y = fixed_model.forward(theta[None, :], x, r.sizes, fmt)
    s = fixed_model.loss_sum(y, labels, cfg.loss, fmt)[0]
    res.final_loss = float(s) * 2.0 ** -(sh.loss_frac - int(np.log2(cfg.batch))) / labels.size
    res.train_accuracy = fixed_model.accuracy(theta, x, labels, r.sizes, fmt)
    res.test_accuracy = res.curve_test_accuracy[-1]
    res.trace, res.theta = trace, theta


def run(cfg: TrainConfig) -> RunResult:
    """Train once; the result carries curves, final metrics and the trace."""
    start, threads = time.perf_counter(), torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: intra-op threads only add overhead
    try:
        return _run(cfg, start)
    finally:
        torch.set_num_threads(threads)


def _run(cfg: TrainConfig, start: float) -> RunResult:
    r = RunSetup(cfg)
    res = RunResult(cfg.to_dict(), r.d, {}, 0.0, 0.0, 0.0)
    marks = set(eval_steps(cfg.steps, cfg.eval_points))
    (_run_fixed if cfg.arith == "fixed" else _run_float)(r, res, marks)
    res.perturbation = r.perturbations.describe()
    res.seconds = time.perf_counter() - start
    return res
