"""PNG figures: training curves of `ref train`, the accuracy chart of `ref study`."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def plot_curves(runs: list[dict], title: str, path: str) -> None:
    """Loss (left) and test accuracy (right) against step, one line per seed."""
    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10, 4))
    for run in runs:
        c = run["curves"]
        ax_l.plot(c["step"][1:], c["loss"][1:], label=f"seed {run['seed']}")
        ax_a.plot(c["step"], c["test_accuracy"], label=f"seed {run['seed']}")
    ax_l.set(xlabel="step", ylabel="training loss (batch, mean of L+ and L-)", yscale="log")
    ax_a.set(xlabel="step", ylabel="test accuracy", ylim=(0, 1))
    for ax in (ax_l, ax_a):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_study(labels: list[str], series: dict[str, list[float]], errors: dict[str, list[float]],
               title: str, path: str) -> None:
    """Grouped horizontal bars: one group per row label, one bar per series (arith)."""
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(labels) * len(series) + 1.5))
    height = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series.items()):
        pos = [i + k * height for i in range(len(labels))]
        ax.barh(pos, values, height=height, xerr=errors[name], label=name, capsize=2)
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(labels))], labels, fontsize=7)
    ax.invert_yaxis()
    ax.set(xlabel="mean test accuracy over seeds (bar: min..max)", xlim=(0, 1))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
