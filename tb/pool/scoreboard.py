"""Scoreboard: every beat of every pass against the training reference, bit for bit.

The model is ref_model.pool_model.PoolModel, i.e. ref_model.perturb.Perturbations (reuse
pool, generator hw): a fill starts a new one from the fill's run seed; an accepted step
asks it for z_t; a replay expects z_t again. Refusals (no pool, d = 0, d mod N = 0) must
raise cfg_err_o and stream nothing; a replay before step 0 streams nothing. fill_sumsq_o
must equal the sum of squares of the model's current pool (after refreshes too). The first
mismatch names step, pass, beat, lane and element j.
"""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_subscriber

from ref_model.errors import ConfigError
from ref_model.pool_model import PoolConfig, PoolModel


class PoolScoreboard(uvm_subscriber):
    def build_phase(self):
        self.cfg: PoolConfig = ConfigDB().get(self, "", "DUT_CFG")
        self.model: PoolModel | None = None
        self.err = 0
        self.step_t = -1      # index of the current step since the last fill
        self.pass_no = 0      # passes of the current step (0 = the step itself)
        self.beats_checked = self.passes = self.refusals = self.numbers_checked = 0
        self.errors: list[str] = []
        self.pool_numbers: list[int] = []   # every distinct pool read back (stats)

    def fail(self, text: str) -> None:
        if not self.errors:
            self.logger.error(text)
        self.errors.append(text)

    def write(self, obs):
        kind = obs.op.kind
        if kind == "fill":
            self.model = PoolModel(self.cfg, obs.op.run_seed, obs.op.refresh)
            self.step_t, self.pass_no = -1, 0
            self._expect_no_beats(obs, "fill")
            self._check_sumsq(obs, "fill")
        elif kind == "step":
            self._step(obs)
        elif kind == "replay":
            self._replay(obs)
        else:
            self._expect_no_beats(obs, "idle clocks")
        if obs.err != self.err:
            self.fail(f"cycle {obs.cycle} {kind}: cfg_err_o expected {self.err}, actual {obs.err}")

    def _step(self, obs) -> None:
        if self.model is None:
            self._refused(obs, "step before any fill")
            return
        try:
            want = self.model.step(obs.op.d)
        except ConfigError as exc:
            self._refused(obs, str(exc))
            return
        self.err, self.step_t, self.pass_no = 0, self.step_t + 1, 0
        self._check_pass(obs, want)
        self._check_sumsq(obs, f"step {self.step_t}")

    def _replay(self, obs) -> None:
        if self.model is None or self.model.last is None or self.step_t < 0:
            self._expect_no_beats(obs, "replay before step 0")
            return
        self.pass_no += 1
        self._check_pass(obs, self.model.last)

    def _refused(self, obs, why: str) -> None:
        self.err = 1
        self.refusals += 1
        self._expect_no_beats(obs, f"refused step d={obs.op.d} ({why})")

    def _expect_no_beats(self, obs, what: str) -> None:
        if obs.beats:
            self.fail(f"cycle {obs.cycle} {what}: streamed {len(obs.beats)} beats, expected none")

    def _check_sumsq(self, obs, what: str) -> None:
        if obs.sumsq != self.model.sumsq:
            self.fail(f"{what}: fill_sumsq_o expected {self.model.sumsq}, actual {obs.sumsq}")

    def _check_pass(self, obs, want: list[int]) -> None:
        lanes, d = self.cfg.lanes, len(want)
        n_beats = -(-d // lanes)
        where = f"step {self.step_t} pass {self.pass_no}"
        self.passes += 1
        if len(obs.beats) != n_beats:
            self.fail(f"{where}: {len(obs.beats)} beats, expected {n_beats} (d={d})")
        for b, beat in enumerate(obs.beats[:n_beats]):
            self._check_beat(where, b, beat, want, b == n_beats - 1)
        if self.pass_no == 0 and d >= self.cfg.pool_n:
            self.pool_numbers.extend(want[:self.cfg.pool_n])

    def _check_beat(self, where: str, b: int, beat, want: list[int], last: bool) -> None:
        lanes, d, mask = self.cfg.lanes, len(want), (1 << self.cfg.num_w) - 1
        keep = sum(1 << lane for lane in range(lanes) if b * lanes + lane < d)
        if beat.keep != keep or beat.last != int(last):
            self.fail(f"{where} beat {b}: keep/last expected 0x{keep:x}/{int(last)}, "
                      f"actual 0x{beat.keep:x}/{beat.last}")
        for lane in range(lanes):
            j = b * lanes + lane
            exp = want[j] if j < d else 0
            if beat.lanes[lane] != exp:
                self.fail(f"{where} beat {b} lane {lane} (j={j}): expected 0x{exp & mask:x} "
                          f"({exp}), actual 0x{beat.lanes[lane] & mask:x} ({beat.lanes[lane]})")
        self.beats_checked += 1
        self.numbers_checked += keep.bit_count()

    def check_phase(self):
        assert self.beats_checked > 0, "scoreboard checked no beats: no step was streamed"
        assert not self.errors, f"{len(self.errors)} mismatches; first: {self.errors[0]}"
        self.logger.info(f"{self.beats_checked} beats in {self.passes} passes matched the "
                         f"training reference; {self.refusals} refusals as expected")
