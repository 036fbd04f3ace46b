"""power/throughput.py: the equal-throughput stimulus, its checks and one tiny measurement."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from power import throughput
from power import throughput_config as tc
from power import throughput_sim as sim
from ref_model import scaling
from ref_model.errors import ConfigError
from tb import harness


def rtl_run(cfg, tmp_path, seed=1, name="rtl"):
    return sim.run(cfg, sim.compile_bench(cfg, tmp_path / name), seed, tmp_path / name / "s",
                   None)


@pytest.mark.sim
@pytest.mark.parametrize("make", [
    lambda: tc.array_config(4, "clt", 3, d=61),
    lambda: tc.array_config(3, "icdf", d=61),
    lambda: tc.pool_config(64, 4, None, d=61),
    lambda: tc.pool_config(40, 4, None, d=61),          # N < d: the pool wraps within a pass
    lambda: tc.pool_config(64, 4, "programmable", d=61),
    lambda: tc.pool_config(64, 4, "fixed", d=61),
    lambda: tc.pool_config(64, 4, "folded", d=61),
], ids=["clt3", "icdf", "pool", "pool-wraps", "pool-scaled", "pool-fixed", "pool-folded"])
def test_the_stimulus_delivers_three_d_numbers_per_zo_step(make, tmp_path):
    cfg = dataclasses.replace(make(), steps=4)
    run = rtl_run(cfg, tmp_path)
    assert run.numbers == 3 * cfg.d * cfg.steps == cfg.numbers_per_step * cfg.steps
    assert run.beats == 3 * cfg.steps * -(-cfg.d // cfg.lanes)  # P numbers a beat, 1 partial
    assert len(run.hashes) == cfg.steps and len(set(run.hashes)) == cfg.steps  # new z a step
    # full rate: a pass takes its beats plus a few cycles of control
    assert run.beats <= run.cycles < run.beats + 3 * cfg.steps * 20
    assert rtl_run(cfg, tmp_path, seed=1, name="again").hashes == run.hashes
    assert rtl_run(cfg, tmp_path, seed=2, name="other").hashes != run.hashes


def mutant_config(cfg, tmp_path, file, old, new):
    """cfg with one of its RTL files replaced by a copy where `old` becomes `new`."""
    text = (harness.REPO / file).read_text()
    assert text.count(old) == 1, old
    mutant = tmp_path / file.replace("/", "_")
    mutant.write_text(text.replace(old, new))
    files = tuple(str(mutant) if f == file else f for f in cfg.rtl_files)
    return dataclasses.replace(cfg, rtl_files=files)


@pytest.mark.sim
def test_a_replay_that_is_not_the_same_perturbation_stops_the_stimulus(tmp_path):
    cfg = tc.array_config(4, "uniform", d=57)  # 15 beats: the rotation moves in a pass
    broken = mutant_config(cfg, tmp_path, "rtl/pezo_rng_array.v",
                           "rot_d = rot_save_q;", "rot_d = rot_q;")
    with pytest.raises(ConfigError, match="replay of step 0 differs"):
        rtl_run(broken, tmp_path)


@pytest.mark.sim
def test_a_pass_of_the_wrong_length_stops_the_stimulus(tmp_path):
    cfg = tc.pool_config(64, 4, None, d=61)
    broken = mutant_config(cfg, tmp_path, "rtl/pezo_pool.v",
                           "localparam [D_W-1:0] LANES_D = D_W'(LANES);",
                           "localparam [D_W-1:0] LANES_D = D_W'(LANES + 1);")
    with pytest.raises(ConfigError, match="numbers, expected 61"):
        rtl_run(broken, tmp_path)


@pytest.mark.sim
def test_a_tiny_configuration_end_to_end(tmp_path):
    cfg = tc.pool_config(30, 2, None, d=64)
    m = throughput.measure(cfg, seeds=(1, 2), jobs=1, root=tmp_path)
    d = m.to_dict()
    assert d["numbers"] == [3 * 64 * cfg.steps] * 2
    for storage, total in zip(d["gl_storage_w"], d["gl_power_w"], strict=True):
        assert 0.2 * total < storage < 0.9 * total  # 30 words of 9 bits: most of the flops
    assert d["lut"] > 0 and d["ff"] > 0 and d["area_um2"] > 0 and d["flops"] >= 2 * 32
    for rec, gl_w, per_number, per_step in zip(m.seeds, d["gl_power_w"],
                                               d["energy_per_perturbation_j"],
                                               d["energy_per_zo_step_j"], strict=True):
        assert 1e-5 < gl_w < 1e-2
        assert rec.energy_j == pytest.approx(gl_w * rec.seconds_window)
        assert rec.seconds_window == pytest.approx(rec.cycles * sim.CLOCK_PERIOD_S, rel=0.02)
        assert per_number == pytest.approx(rec.energy_j / rec.numbers)
        assert per_step == pytest.approx(per_number * 3 * cfg.d)
    # seed 2 is held out of the proxy's fit
    assert d["proxy_power_w"][1] == pytest.approx(d["gl_power_w"][1], rel=0.1)
    for bench in ("rtl", "gl"):  # a second measure of kept seeds builds no testbench
        (throughput.cache_dir(cfg, tmp_path) / bench / "build.log").unlink()
    again = throughput.measure(cfg, seeds=(1, 2), jobs=1, root=tmp_path)  # from the cache
    assert again.to_dict()["gl_power_w"] == d["gl_power_w"]
    assert again.times["runs_s"] == m.times["runs_s"] and again.times["kept"]
    assert not (throughput.cache_dir(cfg, tmp_path) / "rtl" / "build.log").exists()
    kept = throughput.measure(cfg, seeds=(2, 3), jobs=1, root=tmp_path, kept_only=True)
    assert [r.seed for r in kept.seeds] == [2]       # seed 3 was never measured


def test_kept_only_measures_nothing_and_refuses_what_is_not_kept(tmp_path):
    cfg = tc.array_config(2)
    with pytest.raises(ConfigError, match="no kept measurement of pezo-array-p2"):
        throughput.measure(cfg, seeds=(1,), root=tmp_path, kept_only=True)
    work = throughput.cache_dir(cfg, tmp_path)
    (work / "s1").mkdir(parents=True)
    (work / "s1" / "activity.npz").write_bytes(b"")
    (work / "s1" / "seed.json").write_text('{"seed": 1}')  # a record of an older format
    assert throughput.kept_seed(work, 1) is None
    with pytest.raises(ConfigError, match="no kept measurement"):
        throughput.measure(cfg, seeds=(1,), root=tmp_path, kept_only=True)


def test_energy_per_number_is_the_run_energy_over_the_numbers():
    cfg = tc.array_config(4, "uniform")
    rec = throughput.SeedRecord(seed=1, numbers=3000, steps=2, cycles=800, gl_power_w=2e-3,
                                gl_window_w=[2e-3], gl_storage_w=0.0, seconds_window=8e-6,
                                energy_j=1.6e-8,
                                hashes=[], rtl_s=0, gl_s=0, power_s=0)
    m = throughput.Measurement(cfg, {"luts": 1, "invs": 0, "ffs": 1, "brams": 0,
                                     "lutrams": 0, "dsps": 0},
                               {"area_um2": 1.0, "cells": 1, "flops": 1}, [rec], [2e-3],
                               [2e-3], "generic")
    d = m.to_dict()
    assert d["energy_per_perturbation_j"] == [pytest.approx(1.6e-8 / 3000)]
    assert d["energy_per_zo_step_j"] == [pytest.approx(0.8e-8)]
    assert d["cycles_per_zo_step"] == 400


def test_the_comparison_set_at_d_1210():
    configs = tc.comparison_configs()
    assert [c.source for c in configs] == ["array-clt", "array-clt12", "array-icdf", "pool",
                                           "pool-scaled", "pool-scaled-fixed",
                                           "pool-scaled-folded", "array-uniform"]
    assert {c.d for c in configs} == {1210} and {c.lanes for c in configs} == {4}
    pools = [c for c in configs if c.kind == "pool"]
    assert {c.params["POOL_N"] for c in pools} == {1212}
    assert all(c.policy == "regenerate" for c in configs if c.family == "gaussian")


def test_smallest_pool_holds_d_and_is_legal():
    assert tc.smallest_pool(1210, 4) == 1212
    assert tc.smallest_pool(1212, 4) == 1216     # d mod N = 0 is refused by pezo_pool
    assert tc.smallest_pool(61, 1) == 62


@pytest.mark.sim
def test_the_scale_forms_scale_the_same_pool_alike(tmp_path):
    # same seed, same pool: the programmable terms of sqrt(3) and the fixed M give the same
    # numbers (the hash sees the lane values), the folded form other ones (M >> FOLD)
    runs = {form: rtl_run(tc.pool_config(64, 4, form, d=61), tmp_path, name=form).hashes
            for form in tc.SCALE_FORMS}
    assert runs["programmable"] == runs["fixed"] != runs["folded"]


def test_the_scale_ports_encode_the_greedy_terms():
    terms = scaling.shift_add_terms(3 ** 0.5, 3)
    en, neg, shift = tc.scale_fields(terms)
    shifts = [(shift >> (5 * k)) & 31 for k in range(3)]
    m = sum((-1 if neg >> k & 1 else 1) << s for k, s in enumerate(shifts) if en >> k & 1)
    assert m == scaling.terms_integer(terms) << (-scaling.E_MIN - scaling.terms_shift(terms))


@pytest.mark.parametrize("call, words", [
    (lambda: tc.by_name("gauss-nope-p4"), "unknown throughput configuration 'gauss-nope-p4'"),
    (lambda: tc.pool_config(1210, 4), "d mod N != 0"),
    (lambda: tc.pool_config(1213, 4), "a multiple of P=4"),
    (lambda: tc.pool_config(1212, 4, "folded-typo"), "unknown scale form 'folded-typo'"),
    (lambda: tc.array_config(4, "laplace"), "unknown distribution 'laplace'"),
    (lambda: tc.array_config(4, "clt", 5), "no RNG-array row"),
    (lambda: tc.array_config(0, "uniform"), "lanes"),
])
def test_bad_configurations_are_refused(call, words):
    with pytest.raises(ConfigError, match=words):
        call()


def test_an_unknown_configuration_on_the_command_line_is_one_line():
    run = subprocess.run([sys.executable, "-m", "power.throughput", "--config", "nope"],
                         capture_output=True, text=True, timeout=60, cwd=harness.REPO)
    assert run.returncode == 2
    assert run.stderr.strip().startswith("pezo: error: unknown throughput configuration")
    assert len(run.stderr.strip().splitlines()) == 1


def test_big_arrays_go_to_verilator_and_pools_stay_on_icarus_unless_told():
    assert throughput.gate_simulator("array", throughput.VERILATOR_CELLS + 1) == "verilator"
    assert throughput.gate_simulator("array", 1_000) == "icarus"
    assert throughput.gate_simulator("pool", 10**6) == "icarus"
    assert throughput.gate_simulator("array", 10**6, "icarus") == "icarus"
    with pytest.raises(ConfigError, match="unknown gate-level simulator 'xcelium'"):
        throughput.gate_simulator("pool", 1_000, "xcelium")


def test_the_replay_bound_adds_a_pool_of_the_gaussian_width_beside_a_third_of_the_generator():
    def measured(cfg, area, watts):
        rec = throughput.SeedRecord(1, 3 * cfg.d, 1, 1000, watts, [watts], 0.0, 1e-5,
                                    watts * 1e-5, [], 0, 0, 0)
        return throughput.Measurement(cfg, {}, {"area_um2": area, "cells": 1, "flops": 1},
                                      [rec], [watts], [watts], "generic")
    clt3 = measured(tc.array_config(4, "clt", 3), 1000.0, 3e-3)   # 11-bit numbers
    pool = measured(tc.pool_config(1212, 4), 9000.0, 9e-3)       # 9-bit words
    bound = throughput.replay_bound(clt3, pool)
    assert bound["regenerate_w"] == 3e-3 and bound["regenerate_area_um2"] == 1000.0
    assert bound["replay_w"] == pytest.approx(1e-3 + 11e-3)
    assert bound["replay_area_um2"] == pytest.approx(1000.0 + 11000.0)
