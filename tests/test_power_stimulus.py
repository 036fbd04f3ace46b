"""The calibration stimulus (<Bench>PowerTest, tb/common/segments.py): its 1,000-clock
windows differ in activity, they line up with the drawn segments, and the scoreboard
still checks every word (a mutant fails it)."""

from pathlib import Path

import numpy as np
import pytest

from regress import activity
from tb import harness, registry
from tb.common import segments
from tests import simcheck
from tests.test_mutation import MUTANTS as LFSR_MUTANTS

CHEAP = ["lfsr.LfsrPowerTest.s16w8", "array.ArrayPowerTest.n4u8"]
MIN_SPREAD = 2.0  # busiest over quietest whole window


def full_window_toggles(spec: harness.TestSpec, result: harness.Result) -> np.ndarray:
    """Toggles of the DUT per whole window of SEGMENT_CLOCKS cycles from reset release."""
    act = activity.read(Path(result.waves), spec.bench.toplevel, segments.SEGMENT_CLOCKS)
    return act.toggles.sum(axis=0)[act.window_ncycles == segments.SEGMENT_CLOCKS]


@pytest.mark.sim
@pytest.mark.parametrize("name", CHEAP)
def test_windows_differ_and_follow_the_segments(tmp_path, name):
    spec = registry.get(name)
    result = harness.run(spec, seed=1, simulator="verilator",
                         waves=activity.wave_format(spec), out_dir=tmp_path)
    simcheck.assert_pass(result)
    assert result.metrics["words_checked"] > 0
    toggles = full_window_toggles(spec, result)
    levels = [seg["level"] for seg in result.metrics["segments"]]
    assert len(toggles) >= segments.N_SEGMENTS == len(levels), (len(toggles), levels)
    assert toggles.max() >= MIN_SPREAD * toggles.min(), toggles
    # segments end on window boundaries: the quietest window is an idle segment's, the
    # busiest a full-rate one's
    assert levels[int(toggles.argmin())] == "idle", (levels, toggles)
    assert levels[int(toggles.argmax())] == "full", (levels, toggles)


@pytest.mark.sim
def test_a_wrong_word_fails_the_power_test(tmp_path):
    base = registry.get("lfsr.LfsrPowerTest.s16w8")
    mutant = simcheck.mutant_spec(base, "pezo_lfsr.v", *LFSR_MUTANTS["tap"], tmp_path, "tap")
    result = harness.run(mutant, seed=1, simulator="verilator", out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant survived the power test: {result}"
    assert "expected 0x" in result.message and "actual 0x" in result.message, result.message
