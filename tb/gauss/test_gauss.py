"""pyuvm tests for the Gaussian baselines (pezo_rng_array with DIST = CLT, large K, or
DIST = ICDF): bit-exact streams under the array's control patterns, and the
distribution of the RTL's own numbers."""

from __future__ import annotations

import random

import pyuvm
from pyuvm import uvm_factory

from tb.array.coverage import ArrayCoverage
from tb.array.sequences import LongPassSeq, PowerSegmentsSeq, RandomRunsSeq, SmokeSeq
from tb.array.test_array import ArrayBaseTest
from tb.common.segments import PowerTestMixin
from tb.gauss.coverage import GaussCoverage


class GaussBaseTest(ArrayBaseTest):
    """The array's env, BFM and scoreboard; the coverage gains the sign and sigma-band
    bins (factory override). No training-reference cross-check: these generators are
    not in ref_model/perturb.py."""

    def build_phase(self):
        uvm_factory().set_type_override_by_type(ArrayCoverage, GaussCoverage)
        super().build_phase()

    def pick_reference_seed(self, cfg) -> None:
        return None


@pyuvm.test()
class GaussSmokeTest(GaussBaseTest):
    """Random seeds, then 4 steps of d = 7n + 2, each replayed once."""

    def make_sequence(self):
        return SmokeSeq(per_lane=7, extra=2)


@pyuvm.test()
class GaussRandomTest(GaussBaseTest):
    """Directed run + 10 random runtime configurations; coverage (incl. sigma bands) closes."""

    require_coverage = True

    def make_sequence(self):
        return RandomRunsSeq(run_seed=random.getrandbits(16), runs=10)


@pyuvm.test()
class GaussStatsTest(GaussBaseTest):
    """A pass of 60,000 numbers or more (every bit of d): mean, variance, kurtosis, tails,
    KS of the RTL's numbers."""

    check_stats = True

    def make_sequence(self):
        return LongPassSeq(run_seed=random.getrandbits(16), count=60_000)


@pyuvm.test()
class GaussPowerTest(PowerTestMixin, GaussBaseTest):
    """Calibration stimulus: the array's 16 segments of 1,000 clocks, random seeds."""

    def power_sequence(self):
        return PowerSegmentsSeq()
