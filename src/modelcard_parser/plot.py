"""Training curves: one panel per quantity, one line per card (and per dataset).

Needs the ``[plot]`` extra (matplotlib).  Drawing goes through matplotlib's Agg canvas
directly, so it works headless and never touches ``pyplot``'s global backend.

The quantities are the training-results columns: training loss, validation loss, then
every metric column in the order the cards first show them, each by epoch (by step when
no card states an epoch).  A multi-dataset Keras card gets one line per dataset
("On wikiann:" tables), labelled ``model · dataset``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ._names import COLUMN_ALIASES, TIMING_METRICS, canonical
from .compare import card_label, distinct
from .models import EpochResult, ModelCard

__all__ = ["Series", "curves", "plot", "wants_log"]

LOSSES = ("training_loss", "validation_loss")
_TITLES = {"training_loss": "Training loss", "validation_loss": "Validation loss"}
# Colour-blind-safe palette (Okabe & Ito); one colour per card, one line style per dataset.
_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
NOT_CURVES = TIMING_METRICS
"""Columns that are timings, not training curves (a panel only when asked for by name)."""
LOG_RATIO = 100
"""A panel whose positive values span more than this factor gets a log y axis."""

CardLike = Union[ModelCard, str, "os.PathLike[str]"]


@dataclass
class Series:
    """One line: a card (and dataset) and its points per quantity."""

    label: str
    card_index: int
    dataset_index: int
    points: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    """Quantity -> (x, value) pairs, x ascending; rows with no value are left out."""


def _quantity_title(key: str) -> str:
    if key in _TITLES:
        return _TITLES[key]
    words = [w.upper() if len(w) <= 2 else w for w in key.split("_")]  # f1 -> F1, top_k_acc
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def wants_log(values: Sequence[float]) -> bool:
    """True when a panel's values are all positive and span more than :data:`LOG_RATIO`."""
    return bool(values) and min(values) > 0 and max(values) / min(values) > LOG_RATIO


def _row_major(n: int, ncols: int) -> list[int]:
    """Item order that makes matplotlib's column-filled legend read left to right."""
    nrows = math.ceil(n / ncols)
    slots = [[r * ncols + c for r in range(nrows) if r * ncols + c < n] for c in range(ncols)]
    return [i for col in slots for i in col]


def _value(row: EpochResult, key: str) -> float | None:
    if key == "training_loss":
        return row.training_loss
    if key == "validation_loss":
        return row.validation_loss
    return row.metrics.get(key)


def _load(cards: Iterable[CardLike]) -> list[ModelCard]:
    from ._api import parse

    return [c if isinstance(c, ModelCard) else parse(c) for c in cards]


def curves(
    cards: Iterable[CardLike],
    labels: Sequence[str] | None = None,
    quantities: Sequence[str] | None = None,
) -> tuple[str, list[str], list[Series]]:
    """The data :func:`plot` draws: the x axis (``epoch`` or ``step``), the quantities, the lines.

    ``quantities`` keeps only those panels, in that order (names as in the table or
    canonical: ``"Validation Loss"``, ``"f1"``).
    """
    loaded = _load(cards)
    names = list(labels) if labels is not None else [card_label(c, i) for i, c in enumerate(loaded)]
    if len(names) != len(loaded):
        msg = f"{len(names)} labels for {len(loaded)} cards"
        raise ValueError(msg)
    names = distinct(names)
    rows = [r for c in loaded for r in c.training_results]
    axis = "epoch" if any(r.epoch is not None for r in rows) or not rows else "step"
    found: list[str] = [k for k in LOSSES if any(_value(r, k) is not None for r in rows)]
    for r in rows:
        for key, value in r.metrics.items():
            if key not in found and value is not None and key not in NOT_CURVES:
                found.append(key)
    if quantities is not None:
        present = set(found) | {k for r in rows for k, v in r.metrics.items() if v is not None}
        wanted = [COLUMN_ALIASES.get(canonical(q), canonical(q)) for q in quantities]
        found = [k for k in wanted if k in present]
    series: list[Series] = []
    for ci, card in enumerate(loaded):
        datasets = card.training_datasets
        for di, dataset in enumerate(datasets):
            label = names[ci] if len(datasets) == 1 or dataset is None else f"{names[ci]} · {dataset}"
            line = Series(label, ci, di)
            for key in found:
                pts = []
                for r in card.training_results:
                    x = r.epoch if axis == "epoch" else (float(r.step) if r.step is not None else None)
                    y = _value(r, key)
                    if r.dataset == dataset and x is not None and y is not None and math.isfinite(y):
                        pts.append((x, y))
                if pts:
                    line.points[key] = sorted(pts)
            if line.points:
                series.append(line)
    return axis, [q for q in found if any(q in s.points for s in series)], series


def plot(
    cards: Iterable[CardLike],
    path: str | os.PathLike[str],
    *,
    labels: Sequence[str] | None = None,
    quantities: Sequence[str] | None = None,
    title: str | None = None,
    columns: int | None = None,
    dpi: int = 150,
) -> Path:
    """Draw the training curves of ``cards`` (cards, or paths to parse) into an image file.

    One panel per quantity (``quantities`` picks and orders them), one line per card and
    dataset; ``labels`` replaces the model names in the legend.  The format follows the
    file name's suffix (``.png``, ``.svg``, ``.pdf``).  Returns the path written.  Raises
    ValueError when no card has a training-results table with values, and ImportError
    naming the extra when matplotlib is missing.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        msg = "plotting needs matplotlib: pip install 'modelcard-parser[plot]'"
        raise ImportError(msg) from exc

    axis, panels, series = curves(cards, labels, quantities)
    if not series:
        msg = "nothing to plot: no card has a training-results table with values"
        raise ValueError(msg)
    n = len(panels)
    ncols = columns or min(3, n)
    nrows = math.ceil(n / ncols)
    # As many legend columns (up to 3) as fit the width (~0.085 in a character at 10 pt),
    # and room below the panels for the legend's rows.
    names = list(dict.fromkeys(s.label for s in series))
    width = 4.6 * ncols
    ncols_legend = max(1, min(len(names), 3, int(width // (0.085 * max(map(len, names)) + 0.8))))
    legend_rows = math.ceil(len(names) / ncols_legend)
    fig = Figure(figsize=(width, 3.4 * nrows + 0.7 + 0.25 * legend_rows), layout="constrained")
    FigureCanvasAgg(fig)
    axes: list[Any] = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, key in zip(axes, panels, strict=False):
        for s in series:
            pts = s.points.get(key)
            if not pts:
                continue
            xs, ys = zip(*pts, strict=True)
            ax.plot(
                xs,
                ys,
                color=_COLOURS[s.card_index % len(_COLOURS)],
                linestyle=_STYLES[s.dataset_index % len(_STYLES)],
                marker=_MARKERS[s.dataset_index % len(_MARKERS)],
                markersize=4,
                linewidth=1.8,
                label=s.label,
            )
        ax.set_title(_quantity_title(key), fontsize=11, fontweight="bold")
        ax.set_xlabel(axis)
        ax.set_ylabel(_quantity_title(key))
        if wants_log([y for s in series for _, y in s.points.get(key, [])]):
            ax.set_yscale("log")  # runs on very different scales: keep every line readable
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True) if axis == "epoch" else MaxNLocator())
        ax.tick_params(labelsize=9)
    for ax in axes[n:]:
        ax.set_visible(False)
    handles: dict[str, Any] = {}
    for ax in axes[:n]:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, handle)
    order = _row_major(len(handles), ncols_legend)
    fig.legend(
        [list(handles.values())[i] for i in order],
        [list(handles)[i] for i in order],
        loc="outside lower center",
        ncols=ncols_legend,
        frameon=False,
        fontsize=10,
    )
    fig.suptitle(title or f"Training curves by {axis}", fontsize=13)
    out = Path(path)
    fig.savefig(out, dpi=dpi)
    return out
