"""The perturbation-source table: its rows are consistent, and what derives from it
(bench variants, file lists, reference perturbations, engine selection) follows a row."""

from pathlib import Path

import numpy as np
import pytest

from ref_model import array_model, config, gauss_stats, lfsr, source_table
from ref_model.errors import ConfigError
from ref_model.source_table import Dist, PerturbationSource, Reuse
from tb.array import specs as array_specs

REPO = Path(__file__).resolve().parent.parent
INTERFACE = ("check", "need_width", "frac", "numbers", "law")


@pytest.mark.parametrize("dist", list(Dist), ids=lambda d: d.name)
def test_every_generator_model_has_the_interface_and_its_rtl(dist):
    model = dist.model
    assert model.__name__ == f"ref_model.{dist.model_name}"
    assert all(callable(getattr(model, name)) for name in INTERFACE), dist
    assert isinstance(model.NORMAL, bool)
    for path in model.RTL_FILES:
        assert (REPO / path).is_file(), f"{dist.name}: {path} missing"


@pytest.mark.parametrize("source", [s for s in source_table.SOURCES if s.reuse is Reuse.ARRAY],
                         ids=lambda s: s.name)
def test_k_words_of_w_bits_are_the_numgen_word(source):
    """The models read K consecutive W-bit words; the RTL one K*W-bit leap: the same bits."""
    cfg = array_specs.bench_variants(source.block_bench)[source.variant]
    seeds = [3, 0xDEADBEEF]
    narrow = lfsr.words(lfsr.LfsrConfig(cfg.state_w, cfg.w), seeds, 50 * cfg.k)
    wide = lfsr.words(cfg.lfsr_cfg, seeds, 50)
    assert np.array_equal(lfsr.join_words(narrow, cfg.w, cfg.k), wide)
    numbers = source.dist.model.numbers(narrow, cfg.w, cfg.k)
    assert numbers.shape == (2, 50) and numbers.dtype == np.int64
    assert np.abs(numbers).max() < 1 << (cfg.num_w - 1), "numbers overflow NUM_W"


def test_sources_naming_one_perturbation_make_the_same_numbers():
    seen = {}
    for s in source_table.SOURCES:
        if s.perturb is not None:
            assert seen.setdefault(s.perturb, (s.dist, s.k, s.scaled)) == (s.dist, s.k, s.scaled), s
    assert config.PERTURBS == tuple(seen)
    assert {"gaussian", "uniform", "uniform-scaled", "uniform01", "gaussian-icdf"} <= set(seen)


def test_names_and_variants_are_unique():
    names = [s.name for s in source_table.SOURCES]
    variants = [s.variant for s in source_table.SOURCES if s.variant]
    assert len(set(names)) == len(names) and len(set(variants)) == len(variants)
    assert source_table.by_name("array-clt").k == 3
    with pytest.raises(ConfigError, match="unknown perturbation source 'nope': choose one of pool"):
        source_table.by_name("nope")


def test_engine_sources_select_themselves_by_their_top_parameters():
    engine = source_table.engine_sources()
    assert [s.name for s in engine] == ["pool", "pool-scaled", "pool-scaled-fixed",
                                        "pool-scaled-folded", "array-uniform", "array-clt",
                                        "array-icdf", "array-box-muller"]
    assert [s.train_variant for s in engine] == ["pool", "scaled", "scaled_fixed",
                                                 "scaled_folded", "array", "gauss",
                                                 "array_icdf", "array_box_muller"]
    for s in engine:
        params = {"N_IN": 64, **s.top_params}
        assert source_table.by_top_params(params) is s
        if s.reuse is Reuse.ARRAY:
            assert (params["DIST"], params["K"]) == (int(s.dist), s.k), s
        else:
            assert set(s.top_params) <= {"SOURCE", "SCALE_MODE"}, s
    unknown = {"SOURCE": 2, "DIST": 1, "K": 12}
    with pytest.raises(ConfigError, match="no perturbation source has parameters SOURCE=2, DIST=1"):
        source_table.by_top_params(unknown)


def test_rtl_files_exist_and_follow_the_reuse_kind():
    for s in source_table.SOURCES:
        assert all((REPO / f).is_file() for f in s.rtl_files), s
    assert "rtl/pezo_scale.v" in source_table.by_name("pool-scaled").rtl_files
    assert "rtl/pezo_scale.v" not in source_table.by_name("pool").rtl_files
    array_files = source_table.by_name("array-uniform").rtl_files
    assert array_files == array_specs.BENCH.sources
    assert set(Dist.ICDF.model.RTL_FILES) < set(array_files), "numgen needs every generator"
    assert set(source_table.engine_files()) == {*array_files, "rtl/pezo_pool.v", "rtl/pezo_scale.v"}


def test_block_bench_variants_come_from_the_rows():
    assert list(array_specs.VARIANTS) == ["n4u8", "n5g8"]
    from tb.gauss import specs as gauss_specs
    assert list(gauss_specs.VARIANTS) == ["n3c12", "n3icdf", "n3bm"]
    icdf = gauss_specs.VARIANTS["n3icdf"]
    assert (icdf.dist, icdf.k, icdf.lanes, icdf.w) == (Dist.ICDF, 4, 3, 8)


def test_a_normal_engine_row_gets_gauss_bench_variants(monkeypatch):
    """What a new Gaussian source gets from its row alone (here: a 24-bit ICDF)."""
    row = PerturbationSource("array-icdf24", Reuse.ARRAY, Dist.ICDF, k=3,
                             perturb="gaussian-icdf", top_params={"SOURCE": 2, "DIST": 2, "K": 3},
                             variant="n2icdf", bench={"lanes": 2, "w": 8})
    monkeypatch.setattr(source_table, "SOURCES", source_table.SOURCES + (row,))
    assert row.normal and row.block_bench == "gauss"
    assert "n2icdf" in array_specs.bench_variants("gauss")
    assert "n2icdf" not in array_specs.bench_variants("array")
    assert source_table.by_top_params({"SOURCE": 2, "DIST": 2, "K": 3}) is row
    assert row in source_table.engine_sources()


def test_array_generators_map_to_reference_perturbations():
    assert array_model.reference_perturbation(array_specs.VARIANTS["n5g8"]) == "gaussian"
    clt12 = array_model.ArrayConfig(lanes=3, dist=Dist.CLT, w=5, k=12, state_w=64)
    assert not array_model.in_training_reference(clt12)
    with pytest.raises(ConfigError, match="DIST=1 \\(CLT\\) with K=12 is no array source"):
        array_model.train_config(clt12)


def test_normal_generators_are_judged_against_the_standard_normal():
    icdf = gauss_stats.expected(Dist.ICDF, 4, 8)
    assert icdf["normal"] and icdf["ks_law"] == 0.0 and icdf["variance"] == 1.0
    clt = gauss_stats.expected(Dist.CLT, 3, 8)
    assert not clt["normal"] and clt["ks_law"] > 0.005 and clt["tail_prob"][4] == 0.0
