"""`pezo mutate`: yosys mutants written back as Verilog, the kill classification on a
real bench, the equivalence proof of a survivor (its options' one-line errors:
tests/test_cli.py)."""

import dataclasses
import json
import subprocess
from pathlib import Path

import pytest

from ref_model.errors import ConfigError
from regress import mutate_campaign, mutate_design, mutate_equiv, mutate_recheck, mutate_record
from tb import harness

TINY = Path(__file__).parent / "data" / "mutate_tiny.v"
TINY_SPEC = harness.TestSpec(harness.Bench("tiny", "mutate_tiny", (str(TINY),), "none"),
                             "none", "none", ())


@pytest.fixture
def tiny(tmp_path):
    mutate_design.elaborate(TINY_SPEC, tmp_path)
    return tmp_path, mutate_design.sample(tmp_path, "mutate_tiny", 100, 1)


def by_net(mutations, mode, wire, port="Y"):
    return next(m for m in mutations if (m.mode, m.wire, m.port) == (mode, wire, port))


def test_sampled_mutations_have_select_values_and_source_lines(tiny):
    work, mutations = tiny
    # every bit of every port of the 2 ands, the or and the flop; fewer than asked
    assert 30 < len(mutations) < 100
    assert [m.index for m in mutations] == list(range(1, len(mutations) + 1))
    assert {m.mode for m in mutations} >= {"inv", "const0", "const1"}
    redundant = by_net(mutations, "const0", "redundant")
    assert redundant.src == ("tests/data/mutate_tiny.v:6",), redundant.src
    assert "-ctrl" not in redundant.args and redundant.args.startswith("-mode const0")


def test_each_mutant_and_the_select_design_are_written_as_verilog(tiny):
    work, mutations = tiny
    paths = mutate_design.write_each(work, mutations)
    texts = {i: p.read_text() for i, p in paths.items()}
    assert all("module mutate_tiny(" in t for t in texts.values())
    assert len(set(texts.values())) > len(texts) // 2, "mutants should differ from each other"
    design = mutate_design.write_design(work, "mutate_tiny").read_text()
    width = mutate_design.select_width(100)  # the count asked for, not the 39 made
    assert "module mutate_tiny (clk_i, rst_ni, a_i, b_i, c_i, y_o);" in design
    assert '$value$plusargs("pezo_mutant=%d", mutsel)' in design
    assert "module mutate_tiny_mutants(" in design
    assert f"input [{width - 1}:0] mutsel;" in design and f"reg [{width - 1}:0] mutsel;" in design
    # Icarus compiles it: the wrapper's ports match the mutated core's
    out = subprocess.run(["iverilog", "-g2012", "-o", str(work / "a.vvp"),
                          str(work / "mutants.v")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_equivalence_proves_an_equivalent_mutant_and_refuses_a_different_one(tiny):
    work, mutations = tiny
    same = mutate_equiv.check(work, "mutate_tiny", by_net(mutations, "const0", "redundant"))
    assert same.status == "equivalent", same
    other = mutate_equiv.check(work, "mutate_tiny", by_net(mutations, "const1", "redundant"))
    assert other.status == "different", other


def test_a_mutant_of_the_output_is_killed_and_the_original_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(mutate_campaign, "MUTATE_ROOT", tmp_path)
    campaign = dataclasses.replace(
        mutate_campaign.plan("lfsr", 2, 1, "s16w8", ["LfsrSmokeTest"], "verilator", 1),
        filters="-wire rnd_o")  # a bit of the output stuck or inverted: the smoke test sees it
    lines = []
    summary = mutate_campaign.run(campaign, progress=lines.append)
    assert lines[0].startswith("original passes LfsrSmokeTest"), lines
    assert summary["mutants"] == 2 and summary["killed"] == 2, summary["results"]
    assert all(r["killed_by"] == "LfsrSmokeTest" and r["wire"] == "rnd_o"
               for r in summary["results"])
    latest = json.loads((tmp_path / "lfsr" / "latest.json").read_text())
    assert latest["kill_rate"] == 1.0 and latest["campaign"] == campaign.name
    assert "2/2 mutants killed" in mutate_record.campaign_markdown(summary)
    rechecked = mutate_recheck.recheck("lfsr", 1)  # nothing survived: nothing to prove
    assert rechecked["killed"] == 2 and "rechecked" in rechecked


def test_recheck_without_a_campaign_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(mutate_campaign, "MUTATE_ROOT", tmp_path)
    with pytest.raises(ConfigError, match="no campaign of 'pool' to recheck"):
        mutate_recheck.recheck("pool", 1)


def test_equivalence_starts_in_reset(tiny):
    work, _ = tiny
    assert mutate_equiv.reset_first(work) == "-set-at 1 in_rst_ni 0"
    (work / "original.il").write_text((work / "original.il").read_text()
                                      .replace("\\rst_ni", "\\rst_n"))
    assert mutate_equiv.reset_first(work) == ""


def test_survivors_are_listed_with_their_equivalence_verdict():
    summary = {"bench": "b", "campaign": "c", "variant": "v", "mutants": 3, "killed": 1,
               "equivalent": 1, "survived": 1, "kill_rate": 1 / 3, "score": 0.5, "seconds": 5.0,
               "simulator": "verilator", "tests": ["T"], "seed": 1, "date": "d",
               "command": "pezo mutate b", "results": [
                   {"index": 1, "status": "killed", "killed_by": "T", "mode": "inv",
                    "src": ["rtl/x.v:3"], "wire": "a", "cell": "c", "portbit": 0, "port": "A"},
                   {"index": 2, "status": "equivalent", "killed_by": None, "mode": "const0",
                    "src": ["rtl/x.v:4"], "wire": "b", "cell": "c", "portbit": 1, "port": "B",
                    "equivalence": {"status": "equivalent", "detail": "proved"}},
                   {"index": 3, "status": "survived", "killed_by": None, "mode": "const1",
                    "src": ["rtl/x.v:5"], "wire": "", "cell": "$and$rtl/x.v:5$7", "portbit": 2,
                    "port": "Y", "equivalence": {"status": "different", "detail": "trace"}}]}
    rows = mutate_record.not_killed_rows(summary)
    assert len(rows) == 4 and "rtl/x.v:4" in rows[2] and "equivalent: proved" in rows[2]
    assert "rtl/x.v:5" in rows[3] and "different: trace" in rows[3] and "and Y[2]" in rows[3]
    assert "| b | v | 3 | 1 | 33.3 % | 1 | 1 | 50.0 % |" in mutate_record.latest_table([summary])[2]


def test_plan_orders_the_smoke_test_first():
    campaign = mutate_campaign.plan("scale", 50, 1, None, None, "verilator", 1)
    assert campaign.tests[0] == "ScaleSmokeTest" and campaign.variant == "l4w9t3"
    with pytest.raises(ConfigError, match="unknown bench"):
        mutate_campaign.plan("x", 50, 1, None, None, "verilator", 1)


def test_the_regression_report_shows_the_latest_kill_rate_per_block(tmp_path, monkeypatch):
    monkeypatch.setattr(mutate_record, "RECORD_DIR", tmp_path / "none")
    assert mutate_record.report_section() == []
    monkeypatch.setattr(mutate_record, "RECORD_DIR", tmp_path)
    (tmp_path / "lfsr.json").write_text(json.dumps(
        {"bench": "lfsr", "variant": "s32w16", "mutants": 50, "killed": 41, "kill_rate": 0.82,
         "equivalent": 7, "survived": 2, "score": 0.953, "seconds": 378.0, "date": "d"}))
    lines = mutate_record.report_section()
    assert lines[1].startswith("## Mutation coverage")
    assert "| lfsr | s32w16 | 50 | 41 | 82.0 % | 7 | 2 | 95.3 % | 378 | d |" in lines
