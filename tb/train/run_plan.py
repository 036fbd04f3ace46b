"""What one training test runs (its knobs), in one record per test class."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunPlan:
    """`steps` checked steps in runs (one START each) of `chunk` steps, a weight read-back
    every `readback_every` steps, `resume_steps` more after a reset (TrainResetResumeTest),
    `batch` samples a step, and the probability of a stall before a sample.
    step_reads=False: no register reads between a run's steps; every step is checked from
    the SystemC step tap alone (attachment train_dma), so Python sleeps through the run."""

    steps: int = 1
    chunk: int = 1
    readback_every: int = 1
    resume_steps: int = 0
    batch: int = 8
    p_stall: float = 0.2
    step_reads: bool = True
