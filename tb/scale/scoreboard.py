"""Scoreboard: every output lane equals v * M bit for bit, M of the stage's form.

M = ScaleConfig.multiplier(...): programmable (SCALE_MODE 0), the terms in force
(ref_model.pool_model.fields_multiplier; for greedy terms the M of ref_model.perturb,
sum s_k 2^(e_k - E_MIN)); fixed and folded, SCALE_M >> FOLD whatever the scale_* ports
carry. Keep-low lanes must be 0; keep and last pass through; scale_err_o equals the
model's rule (ScaleConfig.error: an enabled shift > SHIFT_MAX, never in a fixed form). The
first mismatch names configuration, pass, beat, lane, element j, expected and actual.
"""

from __future__ import annotations

from collections import deque

from pyuvm import ConfigDB, uvm_subscriber

from ref_model.pool_model import ScaleConfig


class ScaleScoreboard(uvm_subscriber):
    def build_phase(self):
        self.cfg: ScaleConfig = ConfigDB().get(self, "", "DUT_CFG")
        self.expected: deque = deque()
        self.config_no = -1
        self.pass_no = self.beat_no = 0
        self.beats_checked = self.lanes_checked = 0
        self.errors: list[str] = []

    def fail(self, text: str) -> None:
        if not self.errors:
            self.logger.error(text)
        self.errors.append(text)

    def write(self, obs):
        if obs.kind == "config":
            self.config_no += 1
            self.pass_no = self.beat_no = 0
            t = obs.terms
            want = self.cfg.error(t.en, list(t.shifts))
            if obs.err != want:
                self.fail(f"config {self.config_no} ({t}): scale_err_o expected {want}, "
                          f"actual {obs.err}")
        elif obs.kind == "in":
            t = obs.terms
            m = self.cfg.multiplier(t.en, t.neg, list(t.shifts))
            lanes = tuple(v * m if obs.keep >> lane & 1 else 0
                          for lane, v in enumerate(obs.lanes))
            self.expected.append((lanes, obs.keep, obs.last, m))
        else:
            self._check(obs)

    def _check(self, obs) -> None:
        where = f"config {self.config_no} pass {self.pass_no} beat {self.beat_no}"
        if not self.expected:
            self.fail(f"{where}: output beat with no input beat")
            return
        lanes, keep, last, m = self.expected.popleft()
        mask = (1 << self.cfg.out_w) - 1
        if (obs.keep, obs.last) != (keep, last):
            self.fail(f"{where}: keep/last expected 0x{keep:x}/{last}, "
                      f"actual 0x{obs.keep:x}/{obs.last}")
        for lane, (exp, act) in enumerate(zip(lanes, obs.lanes, strict=True)):
            if exp != act:
                j = self.beat_no * self.cfg.lanes + lane
                self.fail(f"{where} lane {lane} (j={j}): expected 0x{exp & mask:x} ({exp}), "
                          f"actual 0x{act & mask:x} ({act}); M={m}")
        self.beats_checked += 1
        self.lanes_checked += self.cfg.lanes
        self.beat_no += 1
        if obs.last:
            self.pass_no, self.beat_no = self.pass_no + 1, 0

    def check_phase(self):
        assert self.beats_checked > 0, "scoreboard checked no beats"
        assert not self.expected, f"{len(self.expected)} input beats never came out"
        assert not self.errors, f"{len(self.errors)} mismatches; first: {self.errors[0]}"
        self.logger.info(f"{self.beats_checked} beats matched v*M bit for bit")
