"""The register model's front door: uvm_reg bus operations <-> RegItem of the register agent.

The model's map is byte-addressed (rdl/pezo_train_engine.rdl); the engine's bus takes a
word index, byte address / 4."""

from __future__ import annotations

from pyuvm import uvm_access_e, uvm_reg_adapter, uvm_status_e

from tb.train.item import RegItem

WORD_BYTES = 4


class TrainRegAdapter(uvm_reg_adapter):
    def reg2bus(self, rw):
        kind = "write" if rw.kind == uvm_access_e.UVM_WRITE else "read"
        return RegItem(kind, kind, rw.addr // WORD_BYTES, rw.data)

    def bus2reg(self, bus_item, rw):
        rw.kind = uvm_access_e.UVM_WRITE if bus_item.kind == "write" else uvm_access_e.UVM_READ
        rw.addr = bus_item.addr * WORD_BYTES
        rw.data = bus_item.data
        rw.status = uvm_status_e.UVM_IS_OK
