"""Drivers: register items and sample beats to the BFM."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_driver


class RegDriver(uvm_driver):
    """Register agent's driver; also runs the transaction-boundary waits of a sequence."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            bfm, kind = self.bfm, item.kind
            if kind == "write":
                await bfm.write(item.addr, item.data)
            elif kind == "read":
                item.data = await bfm.read(item.addr)
            elif kind == "block":
                item.data = await bfm.read_block(item.addr, item.count)
            elif kind == "write_block":
                await bfm.write_block(item.addr, item.data)
            elif kind == "wait_step":
                await bfm.wait_step_done()
            elif kind == "wait_idle":
                await bfm.wait_idle()
            elif kind == "cycles":
                await bfm.cycles(item.count)
            elif kind == "reset":
                await bfm.reset()
            else:
                raise ValueError(f"unknown register item kind '{kind}'")
            self.seq_item_port.item_done()


class SampleDriver(uvm_driver):
    """Data agent's driver: one sample beat per item, after the item's stall."""

    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.bfm.send_sample(item.pixels, item.label, item.stall)
            self.seq_item_port.item_done()
