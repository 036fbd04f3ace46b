"""The driver of every block bench: hands each sequence item to the BFM's apply()."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_driver


class BlockDriver(uvm_driver):
    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            await self.bfm.apply(item)
            self.seq_item_port.item_done()
