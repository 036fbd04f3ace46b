"""Scoreboard: every word the RTL emits against ref_model.lfsr, bit for bit.

The expected stream restarts at every seed load and reset; it is computed in
growing chunks with the vectorised model. The first mismatch is reported with
its index since the seed load, the expected and actual words, and the seed.
"""

from __future__ import annotations

from pyuvm import ConfigDB, uvm_subscriber

from ref_model import lfsr


class LfsrScoreboard(uvm_subscriber):
    def build_phase(self):
        self.cfg: lfsr.LfsrConfig = ConfigDB().get(self, "", "DUT_CFG")
        self.words_checked = 0
        self.mismatches = 0
        self.first_mismatch: str | None = None
        self._restart(self.cfg.zero_subst, "reset")

    def _restart(self, seed: int, why: str) -> None:
        self.seed, self.why = seed, why
        self.index = 0
        self.expected = lfsr.stream(self.cfg, seed, 1024)

    def write(self, obs):
        if obs.kind == "reset":
            self._restart(self.cfg.zero_subst, "reset")
        elif obs.kind == "load":
            self._restart(obs.value, "load")
        else:
            self._check(obs)

    def _check(self, obs) -> None:
        if self.index >= self.expected.size:
            self.expected = lfsr.stream(self.cfg, self.seed, 2 * self.expected.size)
        want = int(self.expected[self.index])
        if obs.value != want and self.first_mismatch is None:
            self.first_mismatch = (
                f"first mismatch at word {self.index} after {self.why} of seed "
                f"0x{self.seed:x} (cycle {obs.cycle}): expected 0x{want:x}, "
                f"actual 0x{obs.value:x}")
            self.logger.error(self.first_mismatch)
        self.mismatches += obs.value != want
        self.index += 1
        self.words_checked += 1

    def check_phase(self):
        assert self.words_checked > 0, "scoreboard checked no words: stimulus never enabled the RNG"
        assert self.mismatches == 0, (
            f"{self.mismatches} of {self.words_checked} words differ; {self.first_mismatch}")
        self.logger.info(f"{self.words_checked} words matched the reference bit for bit")
