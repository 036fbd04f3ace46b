"""Sequences of the training bench. Randomness (stalls, reset points) from `random`,
seeded by cocotb. The register sequences run on the register agent, every register
access through the register model (tb/train/registers.py: front door, mirror predicted
on writes and checked on reads); each training run forks a SampleSeq on the data agent
for exactly its steps' samples."""

from __future__ import annotations

import random

import cocotb
from pyuvm import ConfigDB, uvm_sequence

from ref_model import rtl_twin as T
from tb.common import metrics
from tb.train import registers
from tb.train.item import RegItem, SampleItem

# STATUS of an engine at rest: no run, set-up or forward computation
IDLE = {"BUSY": 0, "SETUP_BUSY": 0, "FWD_BUSY": 0}
# registers the host configures: read back as written (reset values before any write)
CONFIG_REGS = ("BATCH", "STEPS", "SKIP", "SHIFT_P", "SHIFT_G", "SHIFT_U", "SEED", "SEED_IDX",
               "SCALE", "REFRESH", "ROUND_SEED")


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

    # STATUS.SRC_ERR predicted: the source refused a step; cleared by its next step or a reset
    source_error = False

    @property
    def twin(self) -> T.Twin:
        return ConfigDB().get(None, "", "TWIN")

    @property
    def knobs(self) -> dict:
        return ConfigDB().get(None, "", "KNOBS")

    @property
    def regs(self):
        """The register model (tb/train/regmodel.py)."""
        return ConfigDB().get(None, "", "REGS")

    async def _do(self, kind, addr=0, data=0, count=1):
        item = RegItem(kind, kind, addr, data, count)
        await self.start_item(item)
        await self.finish_item(item)
        return item.data

    async def write(self, name: str, value: int, accepted: bool = True) -> None:
        await registers.write(getattr(self.regs, name), value, accepted)

    async def read(self, name: str, what: str = "", **wanted: int) -> int:
        return await registers.read(getattr(self.regs, name), what, **wanted)

    async def cycles(self, n: int) -> None:
        await self._do("cycles", count=n)

    async def expect_status(self, what: str, errors: int, **fields) -> int:
        """STATUS: exactly the error bits `errors`, the IDLE bits, and `fields`
        (a field given as None is not checked)."""
        wanted = {f"ERR_{name.upper()}": int(bool(errors & bit)) for name, bit in T.ERRORS.items()}
        wanted.update(IDLE, SRC_ERR=int(self.source_error))
        wanted.update(fields)
        return await self.read("STATUS", what, **{k: v for k, v in wanted.items() if v is not None})

    async def setup_source(self) -> None:
        writes = self.twin.setup_writes()
        for name, value in writes:
            await self.write(name, value)
            if name == "CTRL":
                await self.wait_setup()
        for name in dict.fromkeys(n for n, _ in writes if n != "CTRL"):
            await self.read(name, "source set-up")
        await self.expect_status("source set-up", 0, SRC_IDLE=1)

    async def wait_setup(self) -> None:
        """Until STATUS.SETUP_BUSY is low; a pool fill must show it high first."""
        busy_seen = False
        while await self.read("STATUS") & T.ST_SETUP_BUSY:
            busy_seen = True
            await self.cycles(64)
        if self.twin.fills_pool:
            assert busy_seen, "pool fill: STATUS.SETUP_BUSY never read 1 after CTRL.SETUP"

    async def load_weights(self, theta) -> None:
        await self.write("WADDR", 0)
        await self._do("write_block", registers.word_address(self.regs.WDATA),
                       [int(v) for v in theta])
        await self.read("WADDR", "after the weight load", VALUE=len(theta))

    async def readback(self) -> list[int]:
        """STEP_COUNT then all d weights (the scoreboard checks them)."""
        await self.read("STEP_COUNT")
        await self.write("WADDR", 0)
        words = await self._do("block", registers.word_address(self.regs.WDATA), count=self.twin.d)
        await self.read("WADDR", "after the weight read-back", VALUE=self.twin.d)
        return words

    async def read_results(self) -> None:
        for name in ("STEP_COUNT", "LOSS_P_LO", "LOSS_P_HI", "LOSS_M_LO", "LOSS_M_HI",
                     "G_HAT", "WSIG"):
            await self.read(name)

    async def start_run(self, what: str) -> None:
        """CTRL.START, accepted: the engine is busy at once and has consumed SKIP."""
        await self.write("CTRL", T.CTRL_START)
        await self.read("STATUS", f"{what}: right after START", BUSY=1)
        await self.read("SKIP", f"{what}: START consumes SKIP", VALUE=0)

    def fork_samples(self, first: int, count: int):
        """The run's samples on the data agent; None when the SystemC DMA streams them."""
        if self.knobs["dma"]:
            return None
        seq = SampleSeq(first=first, count=count, p_stall=self.knobs["p_stall"])
        return cocotb.start_soon(seq.start(ConfigDB().get(None, "", "DATA_SEQR")))

    async def check_identity(self) -> None:
        """ID, D, PARAMS, SHAPE and the reset values of the configuration registers."""
        p = self.twin.params
        await self.read("ID", "bring-up")
        await self.read("D", "bring-up", VALUE=self.twin.d)
        await self.read("PARAMS", "bring-up", MAX_BATCH=p["MAX_BATCH"], N_HID=p["N_HID"],
                        LANES=p["LANES"])
        await self.read("PARAMS2", "bring-up", QUERIES=p.get("QUERIES", 1),
                        ROUNDING=p.get("ROUNDING", 0))
        await self.read("SHAPE", "bring-up", N_HID2=p.get("N_HID2", 0), N_OUT=p["N_OUT"],
                        LOSS=p.get("LOSS", 0))
        for name in CONFIG_REGS:
            reg = getattr(self.regs, name)
            await self.read(name, "after reset", **registers.field_values(reg, reg.get_reset()))

    async def bring_up(self) -> None:
        await self.check_identity()
        await self.setup_source()
        await self.load_weights(self.twin.theta0)
        await self.readback()

    async def reset(self) -> None:
        """Asynchronous reset of the engine; the model's mirror returns to the reset values."""
        await self._do("reset")
        self.regs.reset()
        self.source_error = False

    async def run(self, first: int, steps: int, skip: int = 0, readback: bool = True) -> None:
        """START a run of `steps` steps from step `first`; check every step."""
        for name, value in self.twin.config_writes(steps):
            await self.write(name, value)
        if skip:
            await self.write("SKIP", skip)
        what = f"run of steps {first}..{first + steps - 1}"
        task = self.fork_samples(first, steps)
        await self.start_run(what)
        for _ in range(steps if self.knobs["step_reads"] else 0):
            await self._do("wait_step")
            await self.read_results()
        await self._do("wait_idle")
        if task is not None:
            await task
        self.source_error = False
        await self.expect_status(what, 0, DONE=1, SRC_IDLE=1)
        step_cycles, load_cycles = await self.read("STEP_CYCLES"), await self.read("LOAD_CYCLES")
        assert 0 < load_cycles < step_cycles, (
            f"{what}: LOAD_CYCLES {load_cycles} must be within STEP_CYCLES {step_cycles}")
        metrics.record(step_cycles=step_cycles, load_cycles=load_cycles)
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
        await self.start_run("run to be reset")
        for _ in range(j):
            await self._do("wait_step")
            await self.read_results()
        cut = random.randint(5, max(6, self.knobs["step_cycles_guess"]))
        await self.cycles(cut)
        await self.reset()
        task.kill()
        metrics.record(reset_after_steps=j, reset_cycles_into_step=cut)
        await self.read("STEP_COUNT", "after reset", VALUE=0)
        await self.expect_status("after reset", 0, DONE=0)
        await self.check_identity()
        await self.setup_source()
        await self.load_weights(checkpoint)
        await self.run(k, self.knobs["resume_steps"], skip=k)
        await self.read("STEP_COUNT", "after resume", VALUE=k + self.knobs["resume_steps"])


class IllegalSeq(TrainBaseSeq):
    """Illegal register values are refused (register unchanged) and reported in STATUS;
    the design's refusal of a source that cannot step (pool not filled, d mod N = 0) too."""

    async def refused(self, name: str, value: int, error: str) -> None:
        what = f"{name} <- {value:#x} refused"
        await self.read(name, what)
        await self.write(name, value, accepted=False)
        await self.expect_status(what, T.ERRORS[error])
        await self.read(name, what)  # unchanged: the mirror kept the value before
        await self.write("CTRL", T.CTRL_CLEAR)
        await self.expect_status("after CLEAR", 0)

    async def body(self):
        twin, p = self.twin, self.twin.params
        await self.check_identity()
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
            await self.read(name, f"legal {name} <- {value:#x}")
            await self.expect_status(f"legal {name}", 0)
        if twin.fills_pool:
            # START before the pool is filled: the pool ignores step_i, the engine reports it
            for name, value in twin.config_writes(1):
                await self.write(name, value)
            task = self.fork_samples(0, 1)
            await self.start_run("START without a pool fill")
            await self._do("wait_idle")
            await task
            self.source_error = True
            await self.expect_status("START without a pool fill", T.ERRORS["source"], DONE=0)
            await self.read("STEP_COUNT", "refused START", VALUE=0)
            await self.write("CTRL", T.CTRL_CLEAR)
        await self.setup_source()
        await self.load_weights(twin.theta0)
        if self.knobs.get("pool_divides_d"):
            for name, value in twin.config_writes(1):
                await self.write(name, value)
            task = self.fork_samples(0, 1)
            what = f"d mod N = 0 (d={twin.d}, N={self.knobs['pool_n']})"
            await self.start_run(what)
            await self._do("wait_idle")
            await task
            self.source_error = True
            await self.expect_status(what, T.ERRORS["source"], DONE=0)
            await self.read("STEP_COUNT", what, VALUE=0)
            await self.readback()  # weights untouched: equal to the initial weights
            return
        # while a run is in flight: START, register writes and weight reads are refused
        for name, value in twin.config_writes(2):
            await self.write(name, value)
        task = self.fork_samples(0, 2)
        await self.start_run("run with writes while busy")
        await self.write("CTRL", T.CTRL_START)
        await self.write("BATCH", 1, accepted=False)
        await self.expect_status("writes while busy", T.ERRORS["busy"], BUSY=1, FWD_BUSY=None,
                                 SETUP_BUSY=None, SRC_ERR=None)
        await self.read("BATCH", "BATCH written while busy")
        for _ in range(2):
            await self._do("wait_step")
            await self.read_results()
        await self._do("wait_idle")
        await task
        self.source_error = False
        await self.read("STEP_COUNT", "after the run (second START ignored)", VALUE=2)
        await self.expect_status("after the run", T.ERRORS["busy"], DONE=1, SRC_IDLE=1)
        await self.write("CTRL", T.CTRL_CLEAR)
        await self.readback()
