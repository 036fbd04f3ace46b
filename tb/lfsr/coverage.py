"""Functional coverage of the uniform RNG's stimulus and output."""

from __future__ import annotations

from tb.common.coverage_collector import CoverageCollector

LONG_STALL = 8


def groups(out_w: int) -> dict[str, list[str]]:
    """Bins: seed classes, control events, and the word's top two bits."""
    return {
        "seed": ["zero", "one_hot", "all_ones", "random"],
        "control": ["reseed_mid_stream", "load_with_enable", "stall_short", "stall_long",
                    "reset_mid_stream", "back_to_back_words"],
        "word": [f"q{i}" for i in range(min(4, 2 ** out_w))],
    }


def declared_bins(params: dict[str, int]) -> dict[str, list[str]]:
    """The bins of a design with these HDL parameters, known without simulating it."""
    return groups(params["OUT_W"])


def seed_class(seed: int, state_w: int) -> str:
    mask = (1 << state_w) - 1
    if seed & mask == 0:
        return "zero"
    if seed & mask == mask:
        return "all_ones"
    if (seed & mask).bit_count() == 1:
        return "one_hot"
    return "random"


class LfsrCoverage(CoverageCollector):
    def groups(self):
        return groups(self.cfg.out_w)

    def build_phase(self):
        super().build_phase()
        self.words_since_load = 0
        self.last_word_cycle: int | None = None

    def write(self, obs):
        model = self.model
        if obs.kind == "reset":
            if self.words_since_load:
                model.sample("control", "reset_mid_stream")
            self.words_since_load, self.last_word_cycle = 0, None
        elif obs.kind == "load":
            model.sample("seed", seed_class(obs.value, self.cfg.state_w))
            if self.words_since_load:
                model.sample("control", "reseed_mid_stream")
            if obs.en:
                model.sample("control", "load_with_enable")
            self.words_since_load, self.last_word_cycle = 0, None
        else:
            self._word(obs)

    def _word(self, obs) -> None:
        model = self.model
        model.sample("word", f"q{obs.value >> max(self.cfg.out_w - 2, 0)}")
        if self.last_word_cycle is not None:
            gap = obs.cycle - self.last_word_cycle - 1
            if gap == 0:
                model.sample("control", "back_to_back_words")
            elif gap < LONG_STALL:
                model.sample("control", "stall_short")
            else:
                model.sample("control", "stall_long")
        self.words_since_load += 1
        self.last_word_cycle = obs.cycle
