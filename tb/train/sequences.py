"""Sequences of the training bench. Randomness (stalls, reset points) from `random`,
seeded by cocotb. The register sequences run on the register agent; each training
run forks a SampleSeq on the data agent for exactly its steps' samples."""

from __future__ import annotations

import random

import cocotb
from pyuvm import ConfigDB, uvm_sequence

from ref_model import rtl_twin as T
from tb.common import metrics
from tb.train.item import RegItem, SampleItem

R = T.REG


def pick_stall(p_stall: float) -> int:
    """0 (back to back), a short stall 1..7 or a long one 8..40 clocks."""
    if random.random() >= p_stall:
        return 0
    return random.randint(1, 7) if random.random() < 0.7 else random.randint(8, 40)


class SampleSeq(uvm_sequence):
    """The samples of steps [first, first + count), in order, with random stalls."""

    def __init__(self, name="samples", first=0, count=1, p_stall=0.2):
        super().__init__(name)
        self.first, self.count, self.p_stall = first, count, p_stall

    async def body(self):
        twin = ConfigDB().get(None, "", "TWIN")
        for t in range(self.first, self.first + self.count):
            pixels, labels = twin.samples(t)
            for i in range(labels.size):
                item = SampleItem(f"s{t}.{i}", t, pixels[i], int(labels[i]),
                                  pick_stall(self.p_stall))
                await self.start_item(item)
                await self.finish_item(item)


class TrainBaseSeq(uvm_sequence):
    """Register helpers and the building blocks of every test."""

    @property
    def twin(self) -> T.Twin:
        return ConfigDB().get(None, "", "TWIN")

    @property
    def knobs(self) -> dict:
        return ConfigDB().get(None, "", "KNOBS")

    async def _do(self, kind, addr=0, data=0, count=1):
        item = RegItem(kind, kind, addr, data, count)
        await self.start_item(item)
        await self.finish_item(item)
        return item.data

    async def write(self, name: str, value: int) -> None:
        await self._do("write", R[name], value)

    async def read(self, name: str) -> int:
        return await self._do("read", R[name])

    async def cycles(self, n: int) -> None:
        await self._do("cycles", count=n)

    async def expect_status(self, what: str, errors: int, mask: int = 0x3F00) -> None:
        status = await self.read("STATUS")
        assert status & mask == errors, (
            f"{what}: STATUS errors expected 0x{errors:04x}, actual 0x{status & mask:04x} "
            f"(STATUS 0x{status:08x})")

    async def setup_source(self) -> None:
        for name, value in self.twin.setup_writes():
            await self.write(name, value)
            if name == "CTRL":
                while await self.read("STATUS") & T.ST_SETUP_BUSY:
                    await self.cycles(64)
        await self.expect_status("source set-up", 0)

    async def load_weights(self, theta) -> None:
        await self.write("WADDR", 0)
        await self._do("write_block", R["WDATA"], [int(v) for v in theta])

    async def readback(self) -> list[int]:
        """STEP_COUNT then all d weights (the scoreboard checks them)."""
        await self.read("STEP_COUNT")
        await self.write("WADDR", 0)
        return await self._do("block", R["WDATA"], count=self.twin.d)

    async def read_results(self) -> None:
        for name in ("STEP_COUNT", "LOSS_P_LO", "LOSS_P_HI", "LOSS_M_LO", "LOSS_M_HI",
                     "G_HAT", "WSIG"):
            await self.read(name)

    def fork_samples(self, first: int, count: int):
        seq = SampleSeq(first=first, count=count, p_stall=self.knobs["p_stall"])
        return cocotb.start_soon(seq.start(ConfigDB().get(None, "", "DATA_SEQR")))

    async def bring_up(self) -> None:
        ident = await self.read("ID")
        assert ident == T.ID_VALUE, f"ID register expected 0x{T.ID_VALUE:08x}, actual 0x{ident:08x}"
        d = await self.read("D")
        assert d == self.twin.d, f"D register expected {self.twin.d}, actual {d}"
        await self.setup_source()
        await self.load_weights(self.twin.theta0)
        await self.readback()

    async def run(self, first: int, steps: int, skip: int = 0, readback: bool = True) -> None:
        """START a run of `steps` steps from step `first`; check every step."""
        for name, value in self.twin.config_writes(steps):
            await self.write(name, value)
        if skip:
            await self.write("SKIP", skip)
        task = self.fork_samples(first, steps)
        await self.write("CTRL", T.CTRL_START)
        for _ in range(steps):
            await self._do("wait_step")
            await self.read_results()
        await self._do("wait_idle")
        await task
        await self.expect_status(f"run of steps {first}..{first + steps - 1}", 0)
        metrics.record(step_cycles=await self.read("STEP_CYCLES"),
                       load_cycles=await self.read("LOAD_CYCLES"))
        if readback:
            await self.readback()

    async def train(self, first: int, total: int) -> int:
        """`total` steps in runs of knobs['chunk'], a read-back every readback_every steps."""
        k, every, t = self.knobs["chunk"], self.knobs["readback_every"], first
        while t < first + total:
            n = min(k, first + total - t)
            due = (t + n - first) % every == 0 or t + n == first + total
            await self.run(t, n, readback=due)
            t += n
        return t


class TrainSeq(TrainBaseSeq):
    """Bring-up, then knobs['steps'] checked steps."""

    async def body(self):
        await self.bring_up()
        if self.knobs.get("inject"):  # mutation: theta[5] changes behind the scoreboard's back
            await self.write("WADDR", 5)
            await self.write("WDATA", 0x1234)
        await self.train(0, self.knobs["steps"])


class ResetResumeSeq(TrainBaseSeq):
    """Train k steps (checkpoint = the verified read-back after step k-1), start a run,
    reset asynchronously after j full steps plus a random number of clocks into the next
    step, then resume: set the source up again, write the checkpoint, SKIP = k (the source
    fast-forwards k perturbations, STEP_COUNT becomes k) and train on from step k."""

    async def body(self):
        k = self.knobs["steps"]
        await self.bring_up()
        await self.train(0, k)
        checkpoint = await self.readback()
        j = random.randint(0, 2)
        for name, value in self.twin.config_writes(j + 3):
            await self.write(name, value)
        task = self.fork_samples(k, j + 3)
        await self.write("CTRL", T.CTRL_START)
        for _ in range(j):
            await self._do("wait_step")
            await self.read_results()
        cut = random.randint(5, max(6, self.knobs["step_cycles_guess"]))
        await self.cycles(cut)
        await self._do("reset")
        task.kill()
        metrics.record(reset_after_steps=j, reset_cycles_into_step=cut)
        count = await self.read("STEP_COUNT")
        status = await self.read("STATUS")
        assert count == 0 and status & T.ST_BUSY == 0, (
            f"after reset: STEP_COUNT expected 0, actual {count}; BUSY expected 0, STATUS 0x{status:x}")
        await self.setup_source()
        await self.load_weights(checkpoint)
        await self.run(k, self.knobs["resume_steps"], skip=k)
        count = await self.read("STEP_COUNT")
        want = k + self.knobs["resume_steps"]
        assert count == want, f"after resume: STEP_COUNT expected {want}, actual {count}"


class IllegalSeq(TrainBaseSeq):
    """Illegal register values are refused (register unchanged) and reported in STATUS;
    the design's refusal of a source that cannot step (pool not filled, d mod N = 0) too."""

    async def refused(self, name: str, value: int, error: str) -> None:
        before = await self.read(name)
        await self.write(name, value)
        await self.expect_status(f"{name} <- {value:#x}", T.ERRORS[error])
        after = await self.read(name)
        assert after == before, f"{name} <- {value:#x} refused, but changed {before:#x} -> {after:#x}"
        await self.write("CTRL", T.CTRL_CLEAR)
        await self.expect_status("after CLEAR", 0)

    async def body(self):
        twin, p = self.twin, self.twin.params
        ident = await self.read("ID")
        assert ident == T.ID_VALUE, f"ID expected 0x{T.ID_VALUE:08x}, actual 0x{ident:08x}"
        await self.refused("BATCH", 0, "batch")
        await self.refused("BATCH", p["MAX_BATCH"] + 1, "batch")
        await self.refused("STEPS", 0, "steps")
        for reg in ("SHIFT_P", "SHIFT_G", "SHIFT_U"):
            await self.refused(reg, T.SHIFT_RANGE[1] + 1, "shift")
            await self.refused(reg, T.to_u32(T.SHIFT_RANGE[0] - 1), "shift")
        await self.refused("WADDR", twin.d, "address")
        # legal edges are accepted
        for name, value in (("BATCH", p["MAX_BATCH"]), ("SHIFT_G", T.to_u32(T.SHIFT_RANGE[0])),
                            ("SHIFT_U", T.SHIFT_RANGE[1]), ("WADDR", twin.d - 1)):
            await self.write(name, value)
            got = await self.read(name)
            assert got == value, f"legal {name} <- {value:#x} read back {got:#x}"
            await self.expect_status(f"legal {name}", 0)
        if p["SOURCE"] in (0, 1):
            # START before the pool is filled: the pool ignores step_i, the engine reports it
            for name, value in twin.config_writes(1):
                await self.write(name, value)
            task = self.fork_samples(0, 1)
            await self.write("CTRL", T.CTRL_START)
            await self._do("wait_idle")
            await task
            await self.expect_status("START without a pool fill", T.ERRORS["source"])
            count = await self.read("STEP_COUNT")
            assert count == 0, f"refused START ran {count} steps"
            await self.write("CTRL", T.CTRL_CLEAR)
        await self.setup_source()
        await self.load_weights(twin.theta0)
        if self.knobs.get("pool_divides_d"):
            for name, value in twin.config_writes(1):
                await self.write(name, value)
            task = self.fork_samples(0, 1)
            await self.write("CTRL", T.CTRL_START)
            await self._do("wait_idle")
            await task
            await self.expect_status(f"d mod N = 0 (d={twin.d}, N={self.knobs['pool_n']})",
                                     T.ERRORS["source"])
            count = await self.read("STEP_COUNT")
            assert count == 0, f"refused START ran {count} steps"
            await self.readback()  # weights untouched: equal to the initial weights
            return
        # while a run is in flight: START, register writes and weight reads are refused
        for name, value in twin.config_writes(2):
            await self.write(name, value)
        task = self.fork_samples(0, 2)
        await self.write("CTRL", T.CTRL_START)
        await self.write("CTRL", T.CTRL_START)
        await self.write("BATCH", 1)
        await self.expect_status("writes while busy", T.ERRORS["busy"])
        batch = await self.read("BATCH")
        assert batch == twin.cfg.batch, f"BATCH written while busy: {batch}"
        for _ in range(2):
            await self._do("wait_step")
            await self.read_results()
        await self._do("wait_idle")
        await task
        count = await self.read("STEP_COUNT")
        assert count == 2, f"STEP_COUNT expected 2 after the run (second START ignored), actual {count}"
        await self.write("CTRL", T.CTRL_CLEAR)
        await self.readback()
