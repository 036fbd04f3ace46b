"""pyuvm tests for rtl/pezo_train_top.v (the cocotb test module the harness runs).

The engine trains by itself; the bench acts only at transaction boundaries (register
accesses, sample beats, step-done). The base test is the block benches' (tb/common/
block_test.py: BFM start, progress watchdog, run metrics) with the training engine's
hooks; a test's knobs are its RunPlan (tb/train/run_plan.py); HDL parameters (source,
layer sizes, lanes, pool size) come from the variant; PEZO_TRAIN (tb/train/settings.py)
names every test's data set and configures TrainCliTest, and its `inject` corrupts one
weight behind the scoreboard's back, to prove the checks can fail. The watchdog's limit is
derived from the
configuration; on a hang it names what the BFM waited for.

A test with `dma = True` runs on verilator-sc with the SystemC attachment train_dma: the
test writes the DMA's data file (tb/train/dma_data.py; PEZO_DMA_DATA names another one),
Python never touches the sample port, and the stream check (tb/train/stream_check.py)
compares what the engine took with the reference batches.
"""

from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path

import pyuvm

from ref_model import rtl_twin as T
from tb.common import metrics
from tb.common.block_test import BlockTest
from tb.common.params import dut_params
from tb.systemc.attachments import DMA_DATA
from tb.train import dma_data
from tb.train.bfm import TrainBfm
from tb.train.env import TrainEnv
from tb.train.run_plan import RunPlan
from tb.train.sequences import IllegalSeq, ResetResumeSeq, TrainSeq
from tb.train.settings import TrainSettings
from tb.train.stream_check import StreamCheck


def reference_params(params: dict[str, int]) -> dict[str, int]:
    """The reference's parameters: those of the DUT, but for a pool whose size divides d,
    which the reference refuses (ConfigError); the bench needs only its weights, samples
    and register values, so they come from a legal pool size."""
    if not T.pool_divides_d(params):
        return params
    return {**params, "POOL_N": params["POOL_N"] + params["LANES"]}


class TrainBaseTest(BlockTest):
    ENV = TrainEnv
    plan = RunPlan()
    required_bins: tuple[str, ...] = ()  # coverage bins (by prefix) the test must hit
    dma = False  # the samples come from the SystemC DMA (attachment train_dma)

    def build_phase(self):
        self.train_settings = TrainSettings.from_env()
        self.params = dut_params()
        self.run_seed = self.pick_run_seed()
        plan = self.plan
        self.twin = self.make_twin(reference_params(self.params),
                                   plan.steps + plan.resume_steps + 4)
        self.knobs = self.run_knobs(self.params)
        self.stream = StreamCheck(self.twin) if self.dma else None
        if self.dma and not os.environ.get("PEZO_DMA_DATA"):
            dma_data.write(Path(DMA_DATA), self.twin)
        super().build_phase()

    def pick_run_seed(self) -> int:
        return random.randrange(1000)

    def make_twin(self, params: dict[str, int], steps: int) -> T.Twin:
        return T.Twin(params, self.run_seed, steps, batch=self.plan.batch,
                      dataset=self.train_settings.dataset)

    def run_knobs(self, params) -> dict:
        """The plan and what the sequences derive from the configuration (ConfigDB KNOBS)."""
        return {**dataclasses.asdict(self.plan),
                "step_cycles_guess": 2 * self.plan.batch * T.sample_clocks(params)
                * params.get("QUERIES", 1),
                "pool_divides_d": T.pool_divides_d(params),
                "pool_n": params["POOL_N"], "inject": self.train_settings.inject,
                "dma": self.dma}

    def required(self, params, knobs) -> tuple[str, ...]:
        return self.required_bins

    # ---------------------------------------------------------------- BlockTest hooks
    def dut_config(self) -> dict[str, int]:
        return self.params

    def make_bfm(self, dut, params):
        return TrainBfm(dut, systemc=self.dma, poll_cycles=self.knobs["step_cycles_guess"])

    def settings(self, params) -> dict:
        return {"TWIN": self.twin, "KNOBS": self.knobs, "STREAM_CHECK": self.stream,
                "REQUIRED_BINS": self.required(params, self.knobs)}

    def make_sequence(self):
        return TrainSeq()

    def progress_limit(self, params) -> int:
        """Clocks without a register access, sample or step-done that mean a hung engine:
        a few steps' worth (the longest silent stretch is one step's compute) plus a pool fill."""
        return 4 * self.knobs["step_cycles_guess"] + 4 * self.twin.params["POOL_N"] + 10_000

    def run_metrics(self) -> dict:
        sb = self.env.scoreboard
        return {"run_seed": self.run_seed, "dataset": self.twin.cfg.dataset,
                "steps_checked": sb.steps_verified,
                "tap_steps": sb.tap_steps,
                "readbacks": sb.readbacks, "d": self.twin.d, "source": self.twin.source_name,
                "samples": self.stream.received() if self.dma else self.bfm.samples_sent}


@pyuvm.test()
class TrainOneStepTest(TrainBaseTest):
    """Bring-up (ID, d, source set-up, weight load + read-back), one ZO step, read-back."""


@pyuvm.test()
class TrainStepsTest(TrainBaseTest):
    """30 steps in runs of 1..10 with random stalls; read-back after every run."""

    plan = RunPlan(steps=30, chunk=10, readback_every=10, p_stall=0.3)
    required_bins = ("stream", "engine.step_done", "engine.readback")


@pyuvm.test()
class TrainDmaTest(TrainBaseTest):
    """TrainStepsTest's 30 steps in runs of 10 with every sample from the SystemC DMA:
    steps checked from the registers, every beat the engine took against the reference."""

    plan = RunPlan(steps=30, chunk=10, readback_every=10, p_stall=0.0)
    required_bins = ("engine.step_done", "engine.readback")
    dma = True


@pyuvm.test()
class TrainResetResumeTest(TrainBaseTest):
    """Reset in the middle of a step, then resume from the last checkpoint (SKIP)."""

    plan = RunPlan(steps=4, chunk=2, readback_every=2, resume_steps=4)
    required_bins = ("engine",)

    def make_sequence(self):
        return ResetResumeSeq()


@pyuvm.test()
class TrainIllegalTest(TrainBaseTest):
    """Illegal register values and source refusals: reported in STATUS, refused."""

    plan = RunPlan(steps=2)
    required_bins = ("error.batch", "error.shift", "error.steps", "error.busy",
                     "error.address")

    def required(self, params, knobs) -> tuple[str, ...]:
        bins = self.required_bins + (("error.source",) if T.fills_pool(params) else ())
        return tuple(b for b in bins if not (knobs["pool_divides_d"] and b == "error.busy"))

    def make_sequence(self):
        return IllegalSeq()


@pyuvm.test()
class TrainLongTest(TrainBaseTest):
    """A long training run (batch 32): every step checked, read-back every 100 steps."""

    plan = RunPlan(steps=2000, chunk=100, readback_every=100, batch=32, p_stall=0.05)


@pyuvm.test()
class TrainCliTest(TrainBaseTest):
    """`pezo train --rtl`: steps, seed, batch, eps, lr and chunk from the PEZO_TRAIN
    setting; every step checked; the loss curve and the final weights go to metrics.json."""

    def build_phase(self):
        self.plan = self.cli_plan(TrainSettings.from_env())
        super().build_phase()

    def cli_plan(self, s: TrainSettings) -> RunPlan:
        return RunPlan(steps=s.steps, chunk=min(s.steps, s.chunk), readback_every=s.steps,
                       batch=s.batch, p_stall=0.0)

    def pick_run_seed(self) -> int:
        return self.train_settings.seed

    def make_twin(self, params: dict[str, int], steps: int) -> T.Twin:
        s = self.train_settings
        return T.Twin(params, self.run_seed, steps, batch=self.plan.batch, eps=s.eps, lr=s.lr,
                      dataset=s.dataset)

    def report_phase(self):
        sb = self.env.scoreboard
        metrics.record(curve=sb.curve, theta=[int(v) for v in sb.last_readback],
                       mismatches=sb.mismatches, first_mismatch=sb.first_mismatch or "")


@pyuvm.test()
class TrainCliDmaTest(TrainCliTest):
    """`pezo train --rtl --sim verilator-sc`: the SystemC clock and DMA, one run of all the
    steps with no register access in between, every step checked from the step tap."""

    dma = True

    def cli_plan(self, s: TrainSettings) -> RunPlan:
        return dataclasses.replace(super().cli_plan(s), chunk=s.steps, step_reads=False)
