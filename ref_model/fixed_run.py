"""The fixed-point side of a training run (ref_model.trainer's one loop): integer
weights, ref_model.step.fixed_step with the run's FixedShifts, optional stochastic
rounding words, ref_model.fixed_model's loss and accuracy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ref_model import fixed_model
from ref_model.config import TrainConfig
from ref_model.lfsr import LfsrConfig
from ref_model.rounding import saturate
from ref_model.source_table import SeedStream
from ref_model.sources import WordBank, derived_seeds
from ref_model.step import fixed_shifts, fixed_step

if TYPE_CHECKING:
    from ref_model.trainer import RunSetup

SR_BITS = 16


def initial_fixed_theta(theta: np.ndarray, cfg: TrainConfig) -> np.ndarray:
    """theta_int = saturate(floor(theta * 2^w_frac + 1/2), w_bits)."""
    q = np.floor(theta * 2.0 ** cfg.fmt.w_frac + 0.5).astype(np.int64)
    return saturate(q, cfg.fmt.w_bits)


class FixedRun:
    """Fixed arithmetic: theta is int64 with w_frac fraction bits; losses are loss sums
    with loss_frac fraction bits (loss_scale converts them to loss units)."""

    fixed = True

    def __init__(self, r: RunSetup):
        cfg, fmt = r.cfg, r.cfg.fmt
        self.r, self.cfg, self.fmt = r, cfg, fmt
        fixed_model.check_widths(r.sizes, fmt)
        self.shifts = fixed_shifts(cfg.eps, cfg.lr, cfg.queries, cfg.batch,
                                   r.perturbations.z_frac, cfg.loss, fmt)
        self.loss_scale = 2.0 ** -self.shifts.loss_frac
        self.x = r.data.inputs_fixed("train", fmt.x_frac)
        self.labels = r.data.train_labels
        self.x_test = r.data.inputs_fixed("test", fmt.x_frac)
        self.rounding_words = None
        if cfg.rounding == "stochastic":
            seeds = derived_seeds(cfg.seed, SeedStream.ROUNDING, 1)
            self.rounding_words = WordBank(LfsrConfig(32, SR_BITS), seeds)

    def initial_theta(self) -> np.ndarray:
        return initial_fixed_theta(self.r.theta0, self.cfg)

    def step(self, theta: np.ndarray, t: int, z: np.ndarray):
        """(theta, S+, S-, g_hat, mean of S+ and S-) of step t."""
        idx = self.r.batches[t]
        words = self.rounding_words.words(self.r.d)[0] if self.rounding_words else None
        theta, sp, sm, g = fixed_step(theta, z, self.x[idx], self.labels[idx], self.shifts,
                                      self.r.sizes, self.cfg.loss, self.fmt, words, SR_BITS)
        return theta, sp, sm, g, float((sp + sm).mean()) / 2

    @staticmethod
    def weights(theta: np.ndarray) -> np.ndarray:
        return theta

    def test_accuracy(self, theta: np.ndarray) -> float:
        return fixed_model.accuracy(theta, self.x_test, self.r.data.test_labels,
                                    self.r.sizes, self.fmt)

    def final(self, theta: np.ndarray) -> tuple[float, float]:
        """(loss on the whole training set, training accuracy)."""
        cfg, labels = self.cfg, self.labels
        y = fixed_model.forward(theta[None, :], self.x, self.r.sizes, self.fmt)
        s = fixed_model.loss_sum(y, labels, cfg.loss, self.fmt)[0]
        batch_log2 = int(np.log2(cfg.batch))
        loss = float(s) * 2.0 ** -(self.shifts.loss_frac - batch_log2) / labels.size
        return loss, fixed_model.accuracy(theta, self.x, labels, self.r.sizes, self.fmt)
