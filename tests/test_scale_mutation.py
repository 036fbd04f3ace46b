"""A scale stage that ignores a term's sign, the keep mask, a fixed digit's sign or the fold
must be caught by the scoreboard."""

import re
from pathlib import Path

import pytest

from tb import harness, registry
from tests import simcheck

MUTANTS = {
    "sign_ignored": ("acc = scale_neg_i[k] ? acc - part : acc + part;", "acc = acc + part;"),
    "keep_ignored": ("product[l*OUT_W +: OUT_W] = s_keep_i[l] ? acc : {OUT_W{1'b0}};",
                     "product[l*OUT_W +: OUT_W] = acc;"),
    # the fixed forms: a negative digit added, the folded power of two kept in the datapath
    "digit_sign_ignored": ("if (DIGITS[32 + k]) acc = acc - part;",
                           "if (DIGITS[32 + k]) acc = acc + part;"),
    "fold_ignored": ("DIGITS = signed_digits(FIXED_M);", "DIGITS = signed_digits(SCALE_M);"),
}


def mutant_spec(tmp_dir: Path, name: str, testcase: str, variant: str) -> harness.TestSpec:
    base = registry.get(f"scale.{testcase}.{variant}")
    return simcheck.mutant_spec(base, "pezo_scale.v", *MUTANTS[name], tmp_dir, name)


@pytest.mark.sim
@pytest.mark.parametrize("simulator,name,testcase,variant", [
    ("verilator", "sign_ignored", "ScaleSmokeTest", "l4w9t3"),
    ("icarus", "sign_ignored", "ScaleSmokeTest", "l4w9t3"),
    ("icarus", "keep_ignored", "ScaleRandomTest", "l4w9t3"),
    ("verilator", "digit_sign_ignored", "ScaleSmokeTest", "l4w9m1"),
    ("icarus", "fold_ignored", "ScaleSmokeTest", "l4w9m2")])
def test_mutant_is_caught(tmp_path, name, simulator, testcase, variant):
    result = harness.run(mutant_spec(tmp_path, name, testcase, variant), seed=3,
                         simulator=simulator, out_dir=tmp_path / "run")
    assert result.status == "fail", f"mutant '{name}' survived: {result}"
    assert re.search(r"config \d+ pass \d+ beat \d+ lane \d+ \(j=\d+\): expected 0x[0-9a-f]+ "
                     r"\(-?\d+\), actual 0x[0-9a-f]+", result.message), result.message
