"""ref_model.lfsr against a slow, obviously-correct bit-serial implementation."""

import numpy as np
import pytest

from ref_model import lfsr, stats
from ref_model.errors import ConfigError


def slow_words(state_w, out_w, taps, seed, count, zero_subst=1):
    """Bit by bit, straight from the definition in rtl/pezo_lfsr.v."""
    mask = (1 << state_w) - 1
    state = seed & mask or zero_subst
    out = []
    for _ in range(count):
        out.append(state & ((1 << out_w) - 1))
        for _ in range(out_w):
            fb = bin(state & taps).count("1") & 1
            state = (state >> 1) | (fb << (state_w - 1))
    return out


@pytest.mark.parametrize("state_w,out_w", [(8, 3), (16, 8), (32, 16), (32, 32), (64, 17)])
def test_words_match_bit_serial_definition(state_w, out_w):
    cfg = lfsr.LfsrConfig(state_w=state_w, out_w=out_w)
    for seed in [1, 0xDEADBEEF, (1 << state_w) - 1, 0]:
        got = lfsr.words(cfg, [seed], 200)[0].tolist()
        assert got == slow_words(state_w, out_w, cfg.taps, seed, 200), f"seed {seed:#x}"


@pytest.mark.parametrize("state_w,out_w", [(16, 5), (32, 16), (64, 32)])
def test_stream_equals_stepping_one_generator(state_w, out_w):
    cfg = lfsr.LfsrConfig(state_w=state_w, out_w=out_w)
    for count in [1, 63, 64, 1000, 4099]:
        fast = lfsr.stream(cfg, 0x1234, count)
        assert fast.size == count
        assert np.array_equal(fast, lfsr.words(cfg, [0x1234], count)[0])


def test_state_after_matches_stepping():
    cfg = lfsr.LfsrConfig()
    words = lfsr.words(cfg, [99], 1001)[0]
    assert lfsr.state_after(cfg, 99, 1000) & 0xFFFF == int(words[1000])


def test_array_generators_are_independent_streams():
    cfg = lfsr.LfsrConfig()
    many = lfsr.words(cfg, [3, 5, 7], 50)
    for row, seed in zip(many, [3, 5, 7], strict=True):
        assert np.array_equal(row, lfsr.stream(cfg, seed, 50))


def test_table_taps_are_maximal():
    for state_w, taps in lfsr.MAXIMAL_TAPS.items():
        assert lfsr.is_maximal(state_w, taps), f"STATE_W={state_w}"


@pytest.mark.parametrize("state_w", [8, 12, 16])
def test_period_is_full_by_brute_force(state_w):
    cfg = lfsr.LfsrConfig(state_w=state_w, out_w=1)
    bits = lfsr.stream(cfg, 1, (1 << state_w) + 10)
    period = (1 << state_w) - 1
    assert np.array_equal(bits[:10], bits[period:period + 10])
    windows = {tuple(bits[i:i + state_w]) for i in range(period)}
    assert len(windows) == period, "every non-zero state must appear once per period"


def test_zero_seed_is_substituted():
    cfg = lfsr.LfsrConfig(zero_subst=0xACE1)
    assert lfsr.load_seed(cfg, 0) == 0xACE1
    assert np.array_equal(lfsr.stream(cfg, 0, 10), lfsr.stream(cfg, 0xACE1, 10))


@pytest.mark.parametrize("kwargs,message", [
    ({"out_w": 0}, "OUT_W=0 unsupported"),
    ({"out_w": 33}, "OUT_W=33 unsupported"),
    ({"state_w": 65, "taps": 3}, "STATE_W=65 unsupported"),
    ({"state_w": 20}, "no built-in taps"),
    ({"taps": 0x00400006}, "bit 0"),
    ({"taps": 0x00400005}, "not maximal-length"),
    ({"zero_subst": 0}, "ZERO_SUBST"),
])
def test_bad_configs_are_rejected(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        lfsr.LfsrConfig(**kwargs)


@pytest.mark.parametrize("state_w,out_w", [(32, 16), (16, 8), (64, 32), (24, 4)])
def test_statistics_of_1e5_words(state_w, out_w):
    cfg = lfsr.LfsrConfig(state_w=state_w, out_w=out_w)
    measured = stats.uniform_word_stats(lfsr.stream(cfg, 0xC0FFEE, stats.MIN_WORDS), out_w)
    assert stats.uniform_violations(measured) == []


def test_statistics_checker_can_fail():
    biased = np.arange(stats.MIN_WORDS, dtype=np.uint64) % 50000  # low values only, correlated
    problems = stats.uniform_violations(stats.uniform_word_stats(biased, 16))
    assert any("mean" in p for p in problems) and any("lag1" in p for p in problems)
