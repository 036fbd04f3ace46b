"""The training bench's register layer: the generated pyuvm register model
(tb/train/regmodel.py, from rdl/pezo_train_engine.rdl) on the register agent's sequencer.

Writes go through the model (front door) and predict its mirror; reads go through the
model and are checked against the mirror: the fields the engine does not change
(non-volatile) must read back as predicted, and the caller names the expected value of
any volatile field it checks (STATUS bits, WADDR, D, PARAMS)."""

from __future__ import annotations

from pyuvm import uvm_status_e

from tb.train.reg_adapter import WORD_BYTES, TrainRegAdapter
from tb.train.regmodel import pezo_train_engine


def build_model(sequencer) -> pezo_train_engine:
    """The register model, its map on `sequencer`, predicting from its own accesses."""
    model = pezo_train_engine("regs")
    model.build()
    model.lock_model()
    model.reset()
    reg_map = model.get_default_map()
    reg_map.set_sequencer(sequencer, TrainRegAdapter("reg_adapter"))
    reg_map.set_auto_predict(True)
    return model


def word_address(reg) -> int:
    return reg.get_address() // WORD_BYTES


def stable_mirror(reg) -> int:
    """The mirror of the fields only the host changes (the volatile ones left 0)."""
    return sum(f.get_mirrored_value() << f.get_lsb_pos()
               for f in reg.get_fields() if not f.is_volatile())


def field_values(reg, value: int) -> dict[str, int]:
    return {f.get_name(): (value >> f.get_lsb_pos()) & ((1 << f.get_n_bits()) - 1)
            for f in reg.get_fields()}


def mirror_mismatches(reg, expected: int, actual: int, wanted: dict[str, int]) -> list[str]:
    """Fields that differ: non-volatile ones from the mirror `expected`, plus `wanted`."""
    exp, got = field_values(reg, expected), field_values(reg, actual)
    for f in reg.get_fields():
        if not f.is_volatile():
            wanted.setdefault(f.get_name(), exp[f.get_name()])
    unknown = set(wanted) - set(got)
    assert not unknown, f"{reg.get_name()} has no field {', '.join(sorted(unknown))}"
    return [f"{name} expected {int(want):#x}, actual {got[name]:#x}"
            for name, want in wanted.items() if got[name] != int(want)]


async def write(reg, value: int, accepted: bool = True) -> None:
    """Front-door write; a write the engine refuses leaves the mirror as it was."""
    before = stable_mirror(reg)
    status = await reg.write(value)
    assert status == uvm_status_e.UVM_IS_OK, f"{reg.get_name()} write: {status}"
    if not accepted:
        reg.predict(before)


async def read(reg, what: str = "", **wanted: int) -> int:
    """Front-door read, checked against the mirror and the `wanted` field values."""
    expected = stable_mirror(reg)
    status, value = await reg.read()
    assert status == uvm_status_e.UVM_IS_OK, f"{reg.get_name()} read: {status}"
    bad = mirror_mismatches(reg, expected, value, dict(wanted))
    assert not bad, (f"{what + ': ' if what else ''}{reg.get_name()} 0x{value:08x}: "
                     f"{'; '.join(bad)}")
    return value
