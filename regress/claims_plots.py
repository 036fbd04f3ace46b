"""The PNG figures of docs/claims.md: savings against each baseline, the front, the engine."""

from __future__ import annotations

import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import NullFormatter  # noqa: E402

from regress.claims_savings import COMPARED, Spread  # noqa: E402

BROKEN = dict(marker="x", color="tab:red", s=60, zorder=3)


def plot_savings(table: dict[str, dict[str, Spread | None]], paper: dict[str, float],
                 title: str, path: str) -> None:
    """Grouped bars: one group per compared figure, one bar per baseline (min..max over
    seeds), the paper's figure as a black tick where it states one."""
    labels = [text for _, text in COMPARED]
    names = list(next(iter(table.values())))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(names)
    for k, name in enumerate(names):
        xs, ys, lo, hi = [], [], [], []
        for i, (field, _) in enumerate(COMPARED):
            s = table[field][name]
            if s is not None:
                xs.append(i + (k - (len(names) - 1) / 2) * width)
                ys.append(s.mean)
                lo.append(s.mean - s.low)
                hi.append(s.high - s.mean)
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=f"vs {name}")
    for i, (field, _) in enumerate(COMPARED):
        if field in paper:
            ax.hlines(paper[field], i - 0.45, i + 0.45, colors="black", linewidth=2,
                      label="paper" if i == 0 else None)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(range(len(labels)), [t.split(" (")[0] for t in labels], fontsize=8)
    ax.set(ylabel="change of the best PeZO configuration (%)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_front(points: list[dict], baseline_accuracy: float | None, title: str,
               path: str) -> None:
    """Test accuracy against LUT, sky130 area and energy per ZO step, one line per kind
    (pool over N, array over n); a red x marks a pool with N < d (PeZO breaks there)."""
    axes_of = (("lut", "LUT"), ("area_um2", "sky130 area (um^2)"),
               ("energy_per_zo_step_j", "energy per ZO step (nJ, gate level)"))
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True)
    for ax, (field, xlabel) in zip(axes, axes_of, strict=True):
        for kind in dict.fromkeys(p["kind"] for p in points):
            mine = sorted((p for p in points if p["kind"] == kind and p["accuracy"]),
                          key=lambda p: p["size"])
            xs = [_x(p[field], field) for p in mine]
            ys = [statistics.fmean(p["accuracy"]) for p in mine]
            err = [[y - min(p["accuracy"]) for y, p in zip(ys, mine, strict=True)],
                   [max(p["accuracy"]) - y for y, p in zip(ys, mine, strict=True)]]
            ax.errorbar(xs, ys, yerr=err, marker="o", capsize=2, label=kind)
            for x, y, p in zip(xs, ys, mine, strict=True):
                ax.annotate(f"{'N' if kind == 'pool' else 'n'}={p['size']}", (x, y),
                            fontsize=6, textcoords="offset points", xytext=(3, 3))
                if p["breaks"]:
                    ax.scatter([x], [y], **BROKEN)
        if baseline_accuracy is not None:
            ax.axhline(baseline_accuracy, color="grey", linestyle="--", linewidth=0.8,
                       label="Gaussian baseline")
        ax.set(xlabel=xlabel, xscale="log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap on short spans
        ax.grid(alpha=0.3)
    axes[0].set(ylabel="test accuracy (mean, bar min..max over seeds)")
    axes[0].scatter([], [], label="N < d: PeZO breaks", **BROKEN)
    axes[0].legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _x(value, field: str) -> float:
    mean = statistics.fmean(value) if isinstance(value, (list, tuple)) else float(value)
    return mean * 1e9 if field == "energy_per_zo_step_j" else mean


def plot_engine(rows: list[tuple[str, list[float]]], title: str, path: str) -> None:
    """Energy per ZO step of the whole training engine per source (bar: min..max)."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.5))
    means = [statistics.fmean(v) * 1e9 for _, v in rows]
    err = [[m - min(v) * 1e9 for m, (_, v) in zip(means, rows, strict=True)],
           [max(v) * 1e9 - m for m, (_, v) in zip(means, rows, strict=True)]]
    ax.barh(range(len(rows)), means, xerr=err, capsize=2)
    ax.set_yticks(range(len(rows)), [name for name, _ in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set(xlabel="energy per ZO step (nJ, RTL power proxy)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
