"""Driver: hands each item's operations to the BFM."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_driver


class ArrayDriver(uvm_driver):
    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.bfm.apply(item.ops)
            self.seq_item_port.item_done()
