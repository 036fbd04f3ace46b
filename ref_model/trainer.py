"""ZO-SGD training runs on a data set (ref_model.data), float or fixed point, with the
per-step trace.

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
One loop serves both arithmetics; ref_model.float_run.FloatRun and
ref_model.fixed_run.FixedRun do the steps, losses and accuracies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch

from ref_model import data
from ref_model.config import TrainConfig, validate
from ref_model.fixed_run import FixedRun
from ref_model.float_run import FloatRun
from ref_model.layout import dimension, init_theta
from ref_model.perturb import Perturbations
from ref_model.trace import Trace


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
        self.data = data.load(cfg.dataset, cfg.seed).padded(self.sizes[0])
        self.batches = data.batch_indices(cfg.seed, self.data.train_labels.size,
                                          cfg.steps, cfg.batch)
        self.perturbations = Perturbations(cfg, self.d)
        self.theta0 = init_theta(self.sizes, cfg.seed)


def _train(r: RunSetup, res: RunResult, marks: set[int]) -> None:
    """The one ZO-SGD loop; the arithmetic (FloatRun or FixedRun) does the steps."""
    arith = (FixedRun if r.cfg.arith == "fixed" else FloatRun)(r)
    theta = arith.initial_theta()
    trace, window = Trace(r.cfg.steps, r.cfg.queries, fixed=arith.fixed), []

    def mark(t):
        res.curve_steps.append(t)
        res.curve_loss.append(float(np.mean(window)) * arith.loss_scale if window else float("nan"))
        res.curve_test_accuracy.append(arith.test_accuracy(theta))
        window.clear()

    mark(0)
    for t in range(r.cfg.steps):
        theta, lp, lm, g, loss = arith.step(theta, t, r.perturbations.next_step())
        trace.record(t, lp, lm, g, arith.weights(theta))
        window.append(loss)
        if t + 1 in marks:
            mark(t + 1)
    res.final_loss, res.train_accuracy = arith.final(theta)
    res.test_accuracy = res.curve_test_accuracy[-1]
    res.trace, res.theta = trace, arith.weights(theta).copy()


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
    _train(r, res, marks)
    res.perturbation = r.perturbations.describe()
    res.seconds = time.perf_counter() - start
    return res
