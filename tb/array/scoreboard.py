"""Scoreboard: every transferred beat against ref_model.array_model, lane by lane.

The model (Perturbations' `array` reuse mode over per-generator HwBanks) follows the
control events the monitor reports: seed writes, accepted steps (d), replays, resets.
A pass expects beats b = 0 .. ceil(d/n)-1; lane l of beat b holds z[j], j = b*n + l,
for j < d (keep set), else 0 (keep clear); last on the final beat. The first mismatch
names step, pass, beat, lane, j, expected and actual values (NUM_W-bit hex).
With REFERENCE_SEED set, the steps of that first set-up are also compared with the
training reference itself: Perturbations(train_config(cfg, seed), d).next_step().
"""

from __future__ import annotations

import numpy as np
from pyuvm import ConfigDB, uvm_subscriber

from ref_model import array_model
from ref_model.perturb import Perturbations
from tb.array.item import CtrlObs


class ArrayScoreboard(uvm_subscriber):
    def build_phase(self):
        self.cfg: array_model.ArrayConfig = ConfigDB().get(self, "", "DUT_CFG")
        self.ref_seed = ConfigDB().get(self, "", "REFERENCE_SEED")
        self.model = array_model.ArrayModel(self.cfg)
        self.reference = None
        self.seed_writes = 0
        self.loaded: dict[int, int] = {}
        self.step_index = -1
        self.pass_index = 0
        self.expected: np.ndarray | None = None
        self.beat = 0
        self.beats_checked = 0
        self.passes_done = 0
        self.reference_steps = 0
        self.mismatches = 0
        self.first_mismatch: str | None = None

    # --- control events

    def write(self, obs):
        if isinstance(obs, CtrlObs):
            getattr(self, f"_on_{obs.kind}")(obs)
        else:
            self._check_beat(obs)

    def _on_reset(self, obs):
        self.model = array_model.ArrayModel(self.cfg)
        self.expected, self.reference, self.seed_writes, self.loaded = None, None, 0, {}

    def _on_seed(self, obs):
        self._no_pass_in_flight(obs, "seed write")
        if obs.idx < self.cfg.lanes:
            self.model.reseed(obs.idx, obs.seed)
            self.loaded[obs.idx] = obs.seed
        self.seed_writes += 1
        if self.ref_seed is not None and self.seed_writes == self.cfg.lanes:
            seeds = array_model.reference_seeds(self.ref_seed, self.cfg.lanes).tolist()
            written = [self.loaded.get(g) for g in range(self.cfg.lanes)]
            self._fail_if(written != seeds,
                          "first set-up seeds differ from the training reference's")
            self.reference = Perturbations(array_model.train_config(self.cfg, self.ref_seed), 1)
        elif self.seed_writes > self.cfg.lanes:
            self.reference = None  # a reseed leaves the training reference's stream

    def _on_step(self, obs):
        self._no_pass_in_flight(obs, "step_i")
        self.step_index += 1
        self.pass_index = 0
        self._start_pass(self.model.step(obs.d))
        self._fail_if(obs.err != 0, f"step {self.step_index}: cfg_err_o set after an accepted step")
        if self.reference is not None:
            self.reference.d = obs.d
            ref = self.reference.next_step()[0]
            self._fail_if(not np.array_equal(ref, self.expected),
                          f"step {self.step_index}: model differs from the training reference")
            self.reference_steps += 1

    def _on_refused(self, obs):
        self._fail_if(obs.err != 1 or obs.idle != 1,
                      f"step with d = 0 (cycle {obs.cycle}): expected cfg_err_o = 1 and idle, "
                      f"actual cfg_err_o = {obs.err}, idle_o = {obs.idle}")

    def _on_replay(self, obs):
        self._no_pass_in_flight(obs, "replay_i")
        numbers = self.model.replay()
        if numbers is None:
            self._fail_if(obs.idle != 1,
                          f"replay before any step (cycle {obs.cycle}) was not ignored")
            return
        self.pass_index += 1
        self._start_pass(numbers)

    def _on_ignored(self, obs):
        pass  # a pulse while busy: the DUT must ignore it; the beats show whether it did

    def _start_pass(self, numbers: np.ndarray) -> None:
        self.expected, self.beat = numbers, 0

    def _no_pass_in_flight(self, obs, what: str) -> None:
        if self.expected is not None:
            self._fail_if(True, f"{what} accepted at cycle {obs.cycle} while step "
                          f"{self.step_index} pass {self.pass_index} has "
                          f"{self._beats_left()} beats left")
            self.expected = None

    # --- beats

    def _beats_left(self) -> int:
        return -(-self.expected.size // self.cfg.lanes) - self.beat

    def _check_beat(self, beat) -> None:
        if self.expected is None:
            self._fail_if(True, f"unexpected beat at cycle {beat.cycle}: no pass in flight")
            return
        n, d, b = self.cfg.lanes, self.expected.size, self.beat
        where = f"step {self.step_index} pass {self.pass_index} beat {b}"
        for lane in range(n):
            j = b * n + lane
            want = int(self.expected[j]) if j < d else 0
            if beat.lanes[lane] != want:
                self._fail_if(True, f"{where} lane {lane} (j={j}): expected {self._hex(want)}, "
                              f"actual {self._hex(beat.lanes[lane])}")
                break
        keep = (1 << min(n, d - b * n)) - 1
        self._fail_if(beat.keep != keep,
                      f"{where}: keep expected 0x{keep:x}, actual 0x{beat.keep:x}")
        last = int(self._beats_left() == 1)
        self._fail_if(beat.last != last, f"{where}: last expected {last}, actual {beat.last}")
        self.beats_checked += 1
        self.beat += 1
        if self._beats_left() == 0:
            self.expected = None
            self.passes_done += 1

    def _hex(self, value: int) -> str:
        width = self.cfg.num_w
        return f"0x{value & ((1 << width) - 1):0{(width + 3) // 4}x}"

    def _fail_if(self, bad: bool, message: str) -> None:
        if not bad:
            return
        self.mismatches += 1
        if self.first_mismatch is None:
            self.first_mismatch = message
            self.logger.error(message)

    def check_phase(self):
        assert self.beats_checked > 0, "scoreboard checked no beats: no step was ever streamed"
        assert self.mismatches == 0, f"{self.mismatches} problems; first: {self.first_mismatch}"
        assert self.expected is None, (
            f"step {self.step_index} pass {self.pass_index} unfinished: "
            f"{self._beats_left()} beats missing")
        self.logger.info(f"{self.beats_checked} beats in {self.passes_done} passes "
                         "matched the model")
