"""Driver: hands each item's host actions to the BFM."""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_driver


class PoolDriver(uvm_driver):
    def build_phase(self):
        self.bfm = ConfigDB().get(self, "", "BFM")

    async def run_phase(self):
        while True:
            item = await self.seq_item_port.get_next_item()
            for op in item.ops:
                await self.bfm.execute(op)
            self.seq_item_port.item_done()
