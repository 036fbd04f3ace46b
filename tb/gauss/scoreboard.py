"""Scoreboard: every beat bit-exact against ref_model.array_model, whose numbers for
these variants are the CLT sum of K HwBank uniforms or ref_model.gauss_icdf.icdf()."""

from __future__ import annotations

from tb.array.scoreboard import ArrayScoreboard


class GaussScoreboard(ArrayScoreboard):
    """The array scoreboard (no training-reference cross-check: these generators are
    not in ref_model/perturb.py)."""
