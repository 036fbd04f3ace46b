"""pyuvm tests for rtl/pezo_train_top.v (the cocotb test module the harness runs).

The engine trains by itself; the bench acts only at transaction boundaries (register
accesses, sample beats, step-done). Knobs are class attributes; HDL parameters (source,
layer sizes, lanes, pool size) come from the variant; PEZO_TRAIN (tb/train/settings.py)
configures TrainCliTest, and its `inject` corrupts one weight behind the scoreboard's
back, to prove the checks can fail. A progress watchdog fails a test whose engine stops
making progress within a limit derived from the configuration, naming what it waited for.
"""

from __future__ import annotations

import random

import cocotb
import pyuvm
from pyuvm import ConfigDB, uvm_test

from ref_model import rtl_twin as T
from tb.common import metrics
from tb.common.params import dut_params
from tb.common.watchdog import ProgressWatchdog
from tb.train.bfm import TrainBfm
from tb.train.env import TrainEnv
from tb.train.sequences import IllegalSeq, ResetResumeSeq, TrainSeq
from tb.train.settings import TrainSettings


class TrainBaseTest(uvm_test):
    steps = 1
    chunk = 1
    readback_every = 1
    resume_steps = 0
    batch = 8
    p_stall = 0.2
    required_bins: tuple[str, ...] = ()

    def build_phase(self):
        params = dut_params()
        self.settings = TrainSettings.from_env()
        self.run_seed = random.randrange(1000)
        total = self.steps + self.resume_steps + 4
        ref_params = dict(params)
        if T.pool_divides_d(params):
            # the reference refuses this pool (ConfigError); the bench needs only its
            # weights, samples and register values: take them from a legal pool size
            ref_params["POOL_N"] += params["LANES"]
        self.twin = T.Twin(ref_params, self.run_seed, total, batch=self.batch)
        self.bfm = TrainBfm(cocotb.top)
        ConfigDB().set(None, "*", "BFM", self.bfm)
        ConfigDB().set(None, "*", "TWIN", self.twin)
        ConfigDB().set(None, "*", "COVERAGE", True)
        knobs = self.knobs(params)
        ConfigDB().set(None, "*", "REQUIRED_BINS", self.required(params, knobs))
        ConfigDB().set(None, "*", "KNOBS", knobs)
        self.env = TrainEnv("env", self)

    def knobs(self, params) -> dict:
        per_sample = 2 + params["N_HID"] * (params["N_IN"] // params["LANES"] + 1) + \
            params["N_OUT"] * (params["N_HID"] // params["LANES"] + 1)
        return {"steps": self.steps, "chunk": self.chunk, "readback_every": self.readback_every,
                "resume_steps": self.resume_steps, "p_stall": self.p_stall,
                "step_cycles_guess": 2 * self.batch * per_sample,
                "pool_divides_d": T.pool_divides_d(params),
                "pool_n": params["POOL_N"], "inject": self.settings.inject}

    def watchdog_limit(self, knobs) -> int:
        """Clocks without a register access, sample or step-done that mean a hung engine:
        a few steps' worth (the longest silent stretch is one step's compute) plus a pool fill."""
        return 4 * knobs["step_cycles_guess"] + 4 * self.twin.params["POOL_N"] + 10_000

    def required(self, params, knobs) -> tuple[str, ...]:
        return self.required_bins

    def make_sequence(self):
        return TrainSeq()

    async def run_phase(self):
        self.raise_objection()
        knobs = ConfigDB().get(None, "", "KNOBS")
        watchdog = ProgressWatchdog(cocotb.top.clk_i, self.watchdog_limit(knobs),
                                    waiting_for=lambda: self.bfm.waiting_for)
        self.bfm.reg_observers.append(lambda obs: watchdog.progress(f"register {obs.kind}"))
        self.bfm.event_observers.append(lambda ev: watchdog.progress(ev.kind))
        await self.bfm.start()
        watchdog.start()
        await self.make_sequence().start(self.env.reg_sequencer)
        watchdog.stop()
        sb = self.env.scoreboard
        metrics.record(run_seed=self.run_seed, steps_checked=sb.steps_checked,
                       readbacks=sb.readbacks, d=self.twin.d, samples=self.bfm.samples_sent,
                       source=self.twin.source_name, watchdog_max_gap=watchdog.max_gap)
        self.drop_objection()



@pyuvm.test()
class TrainOneStepTest(TrainBaseTest):
    """Bring-up (ID, d, source set-up, weight load + read-back), one ZO step, read-back."""

    steps = 1


@pyuvm.test()
class TrainStepsTest(TrainBaseTest):
    """30 steps in runs of 1..10 with random stalls; read-back after every run."""

    steps = 30
    chunk = 10
    readback_every = 10
    p_stall = 0.3
    required_bins = ("stream", "engine.step_done", "engine.readback")


@pyuvm.test()
class TrainResetResumeTest(TrainBaseTest):
    """Reset in the middle of a step, then resume from the last checkpoint (SKIP)."""

    steps = 4
    chunk = 2
    readback_every = 2
    resume_steps = 4
    required_bins = ("engine",)

    def make_sequence(self):
        return ResetResumeSeq()


@pyuvm.test()
class TrainIllegalTest(TrainBaseTest):
    """Illegal register values and source refusals: reported in STATUS, refused."""

    steps = 2
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

    steps = 2000
    chunk = 100
    readback_every = 100
    batch = 32
    p_stall = 0.05


@pyuvm.test()
class TrainCliTest(TrainBaseTest):
    """`pezo train --rtl`: steps, seed, batch, eps, lr and chunk from the PEZO_TRAIN
    setting; every step checked; the loss curve and the final weights go to metrics.json."""

    def build_phase(self):
        settings = TrainSettings.from_env()
        self.steps, self.batch = settings.steps, settings.batch
        self.chunk = min(self.steps, settings.chunk)
        self.readback_every = self.steps
        self.p_stall = 0.0
        super().build_phase()
        self.run_seed = settings.seed
        self.twin = T.Twin(self.twin.params, self.run_seed, self.steps + 4, batch=self.batch,
                           eps=settings.eps, lr=settings.lr)
        ConfigDB().set(None, "*", "TWIN", self.twin)

    def make_sequence(self):
        return TrainSeq()

    def report_phase(self):
        sb = self.env.scoreboard
        metrics.record(curve=sb.curve, theta=[int(v) for v in sb.last_readback],
                       mismatches=sb.mismatches, first_mismatch=sb.first_mismatch or "")
