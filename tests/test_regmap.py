"""The training engine's register map is defined once (rdl/pezo_train_engine.rdl): every
generated copy equals what the generator makes of it, a copy edited by hand is named by
the check, and an address changed in the RDL moves in every copy together."""

import shutil
from pathlib import Path

import pytest

from regress import regmap


def temp_repo(tmp_path: Path) -> Path:
    """A copy of the RDL and of every generated copy, as committed."""
    for rel in (regmap.RDL, *regmap.COPIES):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(regmap.REPO / rel, tmp_path / rel)
    return tmp_path


def test_committed_copies_are_what_the_rdl_generates():
    assert regmap.stale(regmap.REPO) == []
    assert regmap.main(["--check"]) == 0


@pytest.mark.parametrize("copy", regmap.COPIES, ids=str)
def test_a_copy_edited_by_hand_fails_the_check(tmp_path, capsys, copy):
    root = temp_repo(tmp_path)
    path = root / copy
    path.write_text(path.read_text().replace("STEP_COUNT", "STEP_CNT", 1))
    assert regmap.stale(root) == [copy]
    assert regmap.main(["--check", "--root", str(root)]) == 1
    assert f"regmap: {copy} differs" in capsys.readouterr().out


def test_an_address_changed_in_the_rdl_changes_every_copy(tmp_path):
    root = temp_repo(tmp_path)
    rdl = root / regmap.RDL
    text = rdl.read_text()
    assert text.count("WSIG @ 0x58;") == 1
    rdl.write_text(text.replace("WSIG @ 0x58;", "WSIG @ 0x68;"))
    assert sorted(regmap.stale(root)) == sorted(regmap.COPIES)
    regmap.write(root)
    vh = (root / regmap.VERILOG).read_text()
    assert "localparam [7:0] A_WSIG = 8'h1a;" in vh and "8'h16;" not in vh
    model = (root / regmap.REG_MODEL).read_text()
    assert "add_reg(self.WSIG, 0x68," in model and "add_reg(self.WSIG, 0x58," not in model
    docs = (root / regmap.DOCS).read_text()
    assert "| 0x68 |" in docs and "| 0x58 |" not in docs
    table = (root / regmap.PY_TABLE).read_text()
    assert '"WSIG": 0x1A,' in table
    assert regmap.stale(root) == []


def test_twin_and_register_model_agree_with_the_rdl():
    """The reference's addresses and the pyuvm model's come from the same compiled map."""
    from ref_model import rtl_twin
    from tb.train.regmodel import pezo_train_engine

    top = regmap.compile_map(regmap.REPO / regmap.RDL)
    model = pezo_train_engine("regs")
    model.build()
    model.lock_model()
    for reg in top.registers():
        name = reg.inst_name
        assert rtl_twin.REG[name] == reg.absolute_address // 4
        assert getattr(model, name).get_address() == reg.absolute_address
        for field in reg.fields():
            mask = ((1 << field.width) - 1) << field.lsb
            assert rtl_twin.field_mask(name, field.inst_name) == mask
    assert rtl_twin.ID_VALUE == model.ID.get_reset() == 0x5E200001
