"""The RTL power proxy (power/proxy.py) on synthetic activity with known energies."""

from __future__ import annotations

import json

import numpy as np
import pytest

from power import proxy
from power import proxy_features as pf
from power.activity import Activity
from ref_model.errors import ConfigError

PERIOD = 10e-9
# bits: (name, instance) -> group; two generate copies of one lane share a group; the clock
# toggles twice a cycle and costs nothing beyond the energy per cycle
BITS = [("clk_i", ""), ("state_q[0]", ""), ("state_q[1]", ""), ("en_i", ""), ("sum[0]", ""),
        *[(f"gen_lane[{n}].u_g.{s}", f"gen_lane[{n}].u_g") for s in ("x_q[0]", "y[0]")
          for n in (0, 1)]]
TRUE = {"reg:state_q": 3e-14, "other:en_i": 1e-14, "other:sum": 6e-15,
        "reg:gen_lane[*].u_g.x_q": 5e-14, "other:gen_lane[*].u_g.y": 2e-14}
CYCLE_J = 4e-13
TOP, PARAMS = "pezo_demo", {"W": 8, "LANES": 2}


def synthetic(seed: int, n_windows: int = 24, window: int = 1000) -> Activity:
    rng = np.random.default_rng(seed)
    instances = ["", "gen_lane[0].u_g", "gen_lane[1].u_g"]
    names = [n for n, _ in BITS]
    instance = np.array([instances.index(i) for _, i in BITS])
    levels = rng.uniform(0.0, 1.0, n_windows)             # activity level per window
    rate = rng.uniform(0.2, 0.9, len(BITS))[:, None] * levels[None, :]
    ncycles = np.full(n_windows, window)
    ncycles[-1] = window // 3                             # a short last window
    toggles = rng.binomial(ncycles[None, :], rate).astype(np.int64)
    toggles[0] = 2 * ncycles
    start = np.concatenate([[0.0], np.cumsum(ncycles) * PERIOD])
    return Activity(names, toggles, np.zeros(toggles.shape), start, instance, instances,
                    "dut", "synthetic", 1e-12, "clk_i", window, int(ncycles.sum()), ncycles)


def true_watts(act: Activity) -> np.ndarray:
    groups = pf.groups(act)
    energy = np.array([TRUE.get(k, 0.0) for k in groups.keys]) @ groups.toggles
    return (energy + CYCLE_J * act.window_ncycles) / (act.window_ncycles * PERIOD)


def samples(*seeds):
    return [(a, true_watts(a)) for a in map(synthetic, seeds)]


def fitted(ridge=proxy.RIDGE) -> proxy.ProxyModel:
    return proxy.fit(samples(1, 2), TOP, PARAMS, PERIOD, max_features=7, min_share=0.01,
                     ridge=ridge, prior=proxy.generic_model(proxy.BUILTIN_GENERIC))


def test_groups_strip_generate_indices_and_split_registers():
    assert pf.pattern_of("gen_lane[12].u_numgen.u_lfsr") == "gen_lane[*].u_numgen.u_lfsr"
    assert pf.kind_of("gen_lane[0].u_g.state_q[3]") == "reg"
    assert pf.kind_of("state_d[3]") == "other"
    assert pf.kind_of("m_valid_q") == "reg"
    assert pf.group_of("gen_lane[3].u_g.x_q[7]") == "reg:gen_lane[*].u_g.x_q"
    groups = pf.groups(synthetic(1))
    assert groups.keys == sorted([*TRUE, "other:clk_i"])
    assert not groups.toggles[groups.keys.index("other:clk_i")].any()  # the clock: per cycle


def test_fit_recovers_known_energies():
    model = fitted(ridge=0.0)
    got = dict(zip(model.features, model.energy_per_toggle_j, strict=True))
    for key, energy in TRUE.items():
        assert got[key] == pytest.approx(energy, rel=1e-6), key
    assert model.energy_per_cycle_j == pytest.approx(CYCLE_J, rel=1e-6)


def test_default_ridge_only_nudges_the_fit_and_held_out_scores_stay_high():
    model = fitted()
    got = dict(zip(model.features, model.energy_per_toggle_j, strict=True))
    for key, energy in TRUE.items():
        assert got[key] == pytest.approx(energy, rel=0.02), key
    scored = proxy.score(model, samples(3, 4), PERIOD)
    assert scored["r2"] > 0.99
    assert max(map(abs, scored["total_error"])) < 5e-3


def test_estimate_adds_up_over_windows_and_instances():
    act = synthetic(5)
    est = fitted(ridge=0.0).estimate(act, PERIOD)
    assert est.window_w == pytest.approx(true_watts(act), rel=1e-6)
    weighted = (est.window_w * act.window_ncycles).sum() / act.window_ncycles.sum()
    assert est.total_w == pytest.approx(weighted, rel=1e-12)
    assert set(est.by_instance) == set(act.instances)
    assert sum(est.by_instance.values()) == pytest.approx(est.total_w, rel=1e-12)
    assert est.by_instance["gen_lane[0].u_g"] > 0 and est.calibrated


def test_energies_give_power_at_any_clock():
    model, act = fitted(ridge=0.0), synthetic(6)
    assert model.estimate(act, 2 * PERIOD).total_w == pytest.approx(
        model.estimate(act, PERIOD).total_w / 2, rel=1e-12)


def test_unseen_groups_fall_into_their_kinds_rest():
    model = fitted(ridge=0.0)
    act = synthetic(7)
    act.names[3] = "u_new.carry[0]"   # was en_i
    act.instances.append("u_new")
    act.instance[3] = len(act.instances) - 1
    est = model.estimate(act, PERIOD)
    rest = model.energy_per_toggle_j[model.features.index(pf.rest_feature("other"))]
    assert est.by_instance["u_new"] == pytest.approx(
        rest * act.toggles[3].sum() / (act.cycles * PERIOD), rel=1e-9)


def test_json_round_trip_and_model_id(tmp_path):
    model = fitted()
    path = tmp_path / "demo.w8.json"
    model.save(path)
    back = proxy.load_file(path, TOP, dict(PARAMS))
    act = synthetic(8)
    assert back.estimate(act).total_w == model.estimate(act).total_w
    assert back.model_id == model.model_id and back.model_id.startswith("demo.w8.json@")
    assert proxy.for_design(TOP, PARAMS, tmp_path).model_id == back.model_id


def test_no_calibration_gives_the_generic_model(tmp_path):
    model = proxy.for_design("pezo_other", {"N": 1}, tmp_path)
    assert not model.calibrated and model.model_id == "generic"
    assert not model.estimate(synthetic(9)).calibrated


def test_a_file_for_another_design_is_one_clear_error(tmp_path):
    path = tmp_path / "demo.json"
    fitted().save(path)
    with pytest.raises(ConfigError) as err:
        proxy.load_file(path, "pezo_pool", {"W": 8, "LANES": 2})
    assert str(err.value) == (f'calibration file {path} is for pezo_demo {{"LANES":2,"W":8}}, '
                              'not pezo_pool {"LANES":2,"W":8}')


@pytest.mark.parametrize("text, why", [
    ("{not json", "is corrupt"),
    (json.dumps({"format": "pezo-proxy 1", "top": "x"}), "is corrupt (missing 'features')"),
    (json.dumps({"format": "other"}), "is corrupt (format is 'other'"),
])
def test_a_corrupt_file_is_one_clear_error(tmp_path, text, why):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        proxy.for_design(TOP, PARAMS, tmp_path)
    assert str(err.value).startswith(f"calibration file {path} {why}"), err.value


def test_a_corrupt_coefficient_is_refused(tmp_path):
    path = tmp_path / "nan.json"
    fitted().save(path)
    record = json.loads(path.read_text())
    record["energy_per_toggle_j"]["reg:*"] = "nan"
    path.write_text(json.dumps(record))
    with pytest.raises(ConfigError, match="not a finite number"):
        proxy.load_file(path, TOP, PARAMS)


def test_windows_that_do_not_pair_up_are_refused():
    act = synthetic(1)
    with pytest.raises(ConfigError, match="24 RTL windows but 23 gate-level windows"):
        proxy.fit([(act, true_watts(act)[:-1])], TOP, PARAMS)
