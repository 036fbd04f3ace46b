"""Parameter checks at their limits (issue 9, item 8), on every tool and in Python.

For every limit of every check (tests/param_limits.py): the last legal value elaborates, the
first illegal one is refused with its message, on Verilator (--lint-only), Icarus (compile and
run to time 0) and yosys (hierarchy); the Python configuration class accepts and refuses the
same values with the same words. The mutation test flips each relational operator of each
check in a copy of its file and shows that some row of that check then fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ref_model import gauss_bm, gauss_icdf, rtl_twin
from ref_model.array_model import ArrayConfig
from ref_model.errors import ConfigError
from ref_model.lfsr import LfsrConfig
from ref_model.pool_model import PoolConfig, ScaleConfig
from tests import param_limits, rtl_elab
from tests.param_limits import LIMITS, Limit

IDS = [limit.id for limit in LIMITS]


def _describe(limit: Limit, params: dict[str, int], result: rtl_elab.Elaboration) -> str:
    return (f"{limit.top} {params} on {result.tool}: accepted={result.accepted}, "
            f"checks printed {list(result.messages)}\n{result.log[-1500:]}")


@pytest.mark.parametrize("tool", rtl_elab.TOOLS)
@pytest.mark.parametrize("limit", LIMITS, ids=IDS)
def test_last_legal_value_builds(limit, tool):
    result = rtl_elab.elaborate(tool, limit.top, limit.legal_params)
    assert result.accepted, _describe(limit, limit.legal_params, result)


# An illegal value that makes a width zero or negative stops Icarus's compiler at that
# construct, before the check's `initial $fatal` runs: Icarus refuses it with its own error.
ICARUS_COMPILE_ERROR = {
    "lfsr.state_w.min": "part select leap[0:1] is out of order",
    "rng_array.d_w.min": "Concatenation repeat may not be zero",
    "pool.d_w.min": "part select d_new_q[-1:0] is out of order",
    "pool.r_w.min": "Concatenation repeat may not be zero",
    "train_engine.lanes.min": "Concatenation repeat may not be negative",
    "train_ram.word_w.min": "Indexed part widths must be constant and greater than zero",
}


@pytest.mark.parametrize("tool", rtl_elab.TOOLS)
@pytest.mark.parametrize("limit", LIMITS, ids=IDS)
def test_first_illegal_value_is_refused_with_its_message(limit, tool):
    result = rtl_elab.elaborate(tool, limit.top, limit.illegal_params)
    assert not result.accepted, _describe(limit, limit.illegal_params, result)
    if tool == "icarus" and limit.id in ICARUS_COMPILE_ERROR:
        assert ICARUS_COMPILE_ERROR[limit.id] in result.log, (
            _describe(limit, limit.illegal_params, result))
        return
    expected = f"{limit.top}: {limit.message}"
    assert rtl_elab.printed(expected, result), (
        f"expected '{expected}'; " + _describe(limit, limit.illegal_params, result))


# --- the Python configuration classes: same limits, same words -----------------------------

def _lower(params: dict[str, int], *names: str) -> dict[str, int]:
    return {name.lower(): params[name] for name in names if name in params}


PYTHON = {  # module -> builds its Python configuration from Verilog parameters (or raises)
    "pezo_lfsr": lambda p: LfsrConfig(**_lower(p, "STATE_W", "OUT_W", "TAPS", "ZERO_SUBST")),
    "pezo_numgen": lambda p: ArrayConfig(**_lower(p, "DIST", "W", "K", "NUM_W", "STATE_W")),
    "pezo_rng_array": lambda p: ArrayConfig(
        **_lower(p, "LANES", "DIST", "W", "K", "NUM_W", "D_W", "STATE_W")),
    "pezo_pool": lambda p: PoolConfig(
        **_lower(p, "POOL_N", "LANES", "NUM_W", "D_W", "R_W", "ADDR_W", "STATE_W")),
    "pezo_scale": ScaleConfig.from_verilog,
    "pezo_gauss_icdf": lambda p: gauss_icdf.check_params(p.get("U_W", 32), p.get("FRAC", 8)),
    "pezo_gauss_bm": lambda p: gauss_bm.check_params(p.get("U_W", 32), p.get("FRAC", 8)),
    "pezo_train_top": lambda p: rtl_twin.check_params({**rtl_twin.default_params(), **p}),
    "pezo_train_engine": lambda p: rtl_twin.check_params({**rtl_twin.default_params(), **p}),
}
# checks of parameters Python derives or never sets (pezo_train_top leaves L_MAX, R_MAX at
# their defaults)
NO_PYTHON = {("pezo_rng_array", "idx_w"), ("pezo_train_engine", "l_max"),
             ("pezo_train_engine", "r_max")}
PYTHON_LIMITS = [limit for limit in LIMITS
                 if limit.top in PYTHON and (limit.top, limit.check) not in NO_PYTHON]

# Python messages that differ from the RTL's today (same limits, other words): the fixes are
# in H4's report to the lead (ref_model is H3's); each row passes once its file is fixed.
_FIX = {
    "pool": "ref_model/pool_model.py validate_pool(): one rule per parameter, RTL wording",
    "scale": "ref_model/pool_model.py validate_scale(): OUT_W in the RTL wording",
    "train_top": "ref_model/rtl_twin.py check_params(): SOURCE in the RTL wording",
    "train_engine": "ref_model/rtl_twin.py check_params(): RTL wording; D <= 65535 unchecked",
}
_MISWORDED: list[str] = []
MISMATCH = {limit_id: _FIX[limit_id.split(".")[0]] for limit_id in _MISWORDED}


def _python_case(limit: Limit):
    marks = ([pytest.mark.xfail(strict=True, reason=MISMATCH[limit.id])]
             if limit.id in MISMATCH else [])
    return pytest.param(limit, id=limit.id, marks=marks)


@pytest.mark.parametrize("limit", [pytest.param(limit, id=limit.id) for limit in PYTHON_LIMITS])
def test_python_accepts_the_last_legal_value(limit):
    PYTHON[limit.top](limit.legal_params)


@pytest.mark.parametrize("limit", [_python_case(limit) for limit in PYTHON_LIMITS])
def test_python_refuses_the_first_illegal_value_in_the_rtl_words(limit):
    with pytest.raises(ConfigError) as info:
        PYTHON[limit.top](limit.illegal_params)
    assert str(info.value) == limit.message


# --- mutants of the checks: every relational operator flipped, one at a time --------------

CHECK_BLOCK = re.compile(r"^if \(([^;]*?)\) begin : gen_param_error_(\w+)$", re.M)
RELATION = re.compile(r"(?<![<>=!])(<=|>=|<|>)(?![<>])")
FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


def _mutants(top: str):
    """(check, description, mutated file text) for every relational operator of every check."""
    text = (rtl_elab.RTL / f"{top}.v").read_text()
    for block in CHECK_BLOCK.finditer(text):
        condition, check = block.group(1), block.group(2)
        for op in RELATION.finditer(condition):
            start = block.start(1) + op.start()
            mutated = text[:start] + FLIP[op.group()] + text[start + len(op.group()):]
            where = f"{condition[:op.start()]}[{FLIP[op.group()]}]{condition[op.end():]}"
            yield check, where, mutated


def _row_fails(limit: Limit, files: tuple[Path, ...]) -> bool:
    legal = rtl_elab.elaborate("verilator", limit.top, limit.legal_params, files)
    illegal = rtl_elab.elaborate("verilator", limit.top, limit.illegal_params, files)
    message = f"{limit.top}: {limit.message}"
    return not legal.accepted or illegal.accepted or not rtl_elab.printed(message, illegal)


@pytest.mark.parametrize("top", sorted({limit.top for limit in LIMITS}))
def test_every_check_mutant_fails_a_boundary_row(top, tmp_path):
    files = rtl_elab.sources(top)
    survivors = []
    for check, where, text in _mutants(top):
        mutant = tmp_path / f"{top}.v"
        mutant.write_text(text)
        swapped = tuple(mutant if f.name == mutant.name else f for f in files)
        rows = [limit for limit in LIMITS if limit.top == top and limit.check == check]
        if not any(_row_fails(limit, swapped) for limit in rows):
            survivors.append(f"gen_param_error_{check}: {where}")
    assert not survivors, f"{top}: mutants no boundary row kills:\n" + "\n".join(survivors)


def test_every_check_in_the_rtl_has_boundary_rows():
    checks = {(path.stem, block.group(2)) for path in sorted(rtl_elab.RTL.glob("*.v"))
              for block in CHECK_BLOCK.finditer(path.read_text())}
    rows = {(limit.top, limit.check) for limit in LIMITS}
    assert not checks - rows, (
        f"checks without rows in tests/param_limits.py: {sorted(checks - rows)}")
    assert not rows - checks, f"rows of checks the RTL does not have: {sorted(rows - checks)}"


def test_docs_list_every_limit():
    docs = (rtl_elab.RTL.parent / "docs" / "architecture.md").read_text()
    assert param_limits.markdown_table() in docs, (
        "docs/architecture.md's limit table differs from tests/param_limits.py: "
        "replace it with the output of `python -m tests.param_limits`")
