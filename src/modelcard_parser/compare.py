"""Runs side by side: base model, data, key hyperparameters, final metrics, best epoch.

:func:`compare` turns cards into a :class:`Comparison`: one column per card, one row per
fact.  A cell is *marked* when it differs from the row's consensus: the value most
cards share, or, when no value is shared by more cards than any other (two runs that
differ, three different values), every cell of the row.  Cells are compared as shown
(numbers at four significant digits), so what looks equal is equal.

Final metrics are the card's final evaluation: the "It achieves the following results
on the evaluation set" list, completed by the model-index results, else the last
training-results row.  A list for a named evaluation set (multi-dataset Keras cards)
gives rows such as ``final loss (wikiann)``.  The best epoch is the training-results row
with the lowest validation loss (per dataset when a card has one table per dataset).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

from ._names import TIMING_METRICS
from .models import EpochResult, ModelCard

__all__ = ["Comparison", "Row", "card_label", "compare", "distinct", "final_metrics"]

CardLike = Union[ModelCard, str, "os.PathLike[str]"]
MISSING = "-"
_SKIP_FINAL = frozenset({"epoch", "step"}) | TIMING_METRICS


@dataclass(frozen=True)
class Row:
    """One fact across the runs."""

    field: str
    values: tuple[Any, ...]
    """Per run: the value (number, text, or None when the card does not state it)."""
    text: tuple[str, ...]
    """Per run: the value as shown."""
    marked: tuple[bool, ...]
    """Per run: the cell differs from the row's consensus."""

    @property
    def differs(self) -> bool:
        """True when the runs do not all agree on this row."""
        return any(self.marked)


@dataclass(frozen=True)
class Comparison:
    """The side-by-side table: a column per run, a row per fact."""

    labels: tuple[str, ...]
    rows: tuple[Row, ...]
    paths: tuple[str | None, ...] = ()

    def only_differences(self) -> Comparison:
        """The same comparison with the rows where all runs agree left out."""
        return Comparison(self.labels, tuple(r for r in self.rows if r.differs), self.paths)

    def to_text(self, *, max_width: int = 40) -> str:
        """An aligned plain-text table; a marked cell ends in ``*``."""
        header = ["", *self.labels]
        body = [
            [r.field, *(_cut(t, max_width) + " *" * m for t, m in zip(r.text, r.marked, strict=True))]
            for r in self.rows
        ]
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]

        def line(cells: list[str]) -> str:
            return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        rule = "-+-".join("-" * w for w in widths)
        lines = [line(header), rule, *(line(row) for row in body)]
        if any(r.differs for r in self.rows):
            lines.append("")
            lines.append("* differs from the other runs")
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """A GitHub markdown table; a marked cell is bold."""

        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [
            "| | " + " | ".join(esc(label) for label in self.labels) + " |",
            "|---|" + "---|" * len(self.labels),
        ]
        for r in self.rows:
            cells = [f"**{esc(t)}**" if m else esc(t) for t, m in zip(r.text, r.marked, strict=True)]
            lines.append(f"| {esc(r.field)} | " + " | ".join(cells) + " |")
        if any(r.differs for r in self.rows):
            lines.append("")
            lines.append("Bold: differs from the other runs.")
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """CSV: ``field``, one column per run (values at full precision), and ``differs``:
        the labels of the marked runs, joined by ``;``."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["field", *self.labels, "differs"])
        for r in self.rows:
            writer.writerow(
                [
                    r.field,
                    *("" if v is None else _full(v) for v in r.values),
                    ";".join(label for label, m in zip(self.labels, r.marked, strict=True) if m),
                ]
            )
        return out.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the runs, then each row's values (typed), texts and marks."""
        return {
            "runs": [
                {"label": label, "path": path}
                for label, path in zip(self.labels, self.paths or (None,) * len(self.labels), strict=True)
            ],
            "rows": [
                {
                    "field": r.field,
                    "values": list(r.values),
                    "text": list(r.text),
                    "marked": list(r.marked),
                    "differs": r.differs,
                }
                for r in self.rows
            ],
        }


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _full(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _show(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if value == 0 or not math.isfinite(value):
            return str(value)
        if abs(value) < 1e-3 or abs(value) >= 1e6:
            return f"{value:g}"
        return f"{value:.4g}"
    return str(value)


def _metric_title(key: str) -> str:
    if key == "validation_loss":
        return "loss"
    if key == "training_loss":
        return "training loss"
    return key.replace("_", " ")


def final_metrics(card: ModelCard) -> dict[str, float]:
    """The card's final evaluation, by row name (``loss``, ``f1``, ``loss (wikiann)``...).

    The evaluation list first, completed by model-index values it lacks; else the last
    training-results row (per dataset).  Epoch, step and timing entries are left out.
    """
    out: dict[str, float] = {}

    def add(key: str, value: float | None, dataset: str | None) -> None:
        if value is None or key in _SKIP_FINAL:
            return
        name = _metric_title(key) + (f" ({dataset})" if dataset else "")
        out.setdefault(name, value)

    for res in card.eval_results:
        if res.source == "text":
            for key, value in res.metrics.items():
                add(key, value, res.dataset)
    for res in card.eval_results:
        if res.source == "model-index":
            for key, value in res.metrics.items():
                add(key, value, None)
    if not out:
        datasets = card.training_datasets
        for dataset in datasets:
            rows = [r for r in card.training_results if r.dataset == dataset]
            last = rows[-1]
            label = dataset if len(datasets) > 1 else None
            add("validation_loss", last.validation_loss, label)
            for key, cell in last.metrics.items():
                add(key, cell, label)
    return out


def _best(rows: list[EpochResult]) -> tuple[float | None, float | None]:
    """(epoch, or step when the row has no epoch; validation loss) of the lowest loss."""
    scored = [(r.validation_loss, i) for i, r in enumerate(rows) if r.validation_loss is not None]
    if not scored:
        return None, None
    loss, i = min(scored)  # ties: the earliest row
    best = rows[i]
    x = best.epoch if best.epoch is not None else (float(best.step) if best.step is not None else None)
    return x, loss


def _best_epoch(card: ModelCard) -> str | None:
    parts = []
    datasets = card.training_datasets
    for dataset in datasets:
        epoch, loss = _best([r for r in card.training_results if r.dataset == dataset])
        if epoch is None:
            continue
        text = f"{_show(epoch)} (loss {_show(loss)})"
        parts.append(f"{dataset}: {text}" if dataset is not None and len(datasets) > 1 else text)
    return "; ".join(parts) or None


def distinct(names: Sequence[str]) -> list[str]:
    """Two runs with one name become ``name`` and ``name (2)``, so columns and legends differ."""
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def card_label(card: ModelCard, index: int) -> str:
    """A run's name: the model name, else the model folder or file name, else ``run N``."""
    if card.model_name:
        return card.model_name
    if card.path:
        path = Path(card.path)
        return path.parent.name if path.name.lower() == "readme.md" and path.parent.name else path.stem
    return f"run {index + 1}"


def _optimizer(card: ModelCard) -> str | None:
    opt = card.hyperparameters.optimizer
    if opt is None:
        return None
    parts = [opt.name]
    if opt.betas is not None:
        parts.append(f"betas=({opt.betas[0]},{opt.betas[1]})")
    if opt.epsilon is not None:
        parts.append(f"eps={opt.epsilon}")
    return " ".join(parts)


def _schedule(card: ModelCard) -> str | None:
    sched = card.hyperparameters.lr_scheduler
    if sched is None:
        return None
    text = sched.type or "?"
    if sched.warmup_ratio is not None:
        text += f", warmup ratio {sched.warmup_ratio}"
    if sched.warmup_steps is not None:
        text += f", warmup {sched.warmup_steps} steps"
    return text


def _facts(card: ModelCard) -> list[tuple[str, Any]]:
    hp = card.hyperparameters
    datasets = card.datasets or card.body.datasets
    facts: list[tuple[str, Any]] = [
        ("style", card.style),
        ("base model", card.base_model),
        ("datasets", ", ".join(datasets) if datasets else None),
        ("learning rate", hp.learning_rate),
        ("train batch size", hp.train_batch_size),
        ("total train batch size", hp.total_train_batch_size),
        ("gradient accumulation", hp.gradient_accumulation_steps),
        ("epochs", hp.num_epochs),
        ("training steps", hp.training_steps),
        ("optimizer", _optimizer(card)),
        ("weight decay", hp.optimizer.weight_decay if hp.optimizer is not None else None),
        ("lr scheduler", _schedule(card)),
        ("seed", hp.seed),
        ("mixed precision", hp.mixed_precision),
        ("transformers", card.framework_versions.get("transformers")),
    ]
    facts.extend((f"final {name}", value) for name, value in final_metrics(card).items())
    facts.append(("best epoch", _best_epoch(card)))
    return facts


def _marks(texts: Sequence[str]) -> tuple[bool, ...]:
    counts = Counter(texts)
    if len(counts) == 1:
        return (False,) * len(texts)
    top = counts.most_common()
    if top[0][1] > top[1][1]:
        return tuple(t != top[0][0] for t in texts)
    return (True,) * len(texts)


def compare(cards: Iterable[CardLike], labels: Sequence[str] | None = None) -> Comparison:
    """Put ``cards`` (cards, or paths to parse) side by side.

    Rows no card states are left out.  ``labels`` names the columns (default: the model
    names, else the file names).
    """
    from ._api import parse

    loaded = [c if isinstance(c, ModelCard) else parse(c) for c in cards]
    names = list(labels) if labels is not None else [card_label(c, i) for i, c in enumerate(loaded)]
    if len(names) != len(loaded):
        msg = f"{len(names)} labels for {len(loaded)} cards"
        raise ValueError(msg)
    per_card = [dict(_facts(c)) for c in loaded]
    order: list[str] = []
    for facts in per_card:
        order.extend(name for name in facts if name not in order)
    # Final metrics after the hyperparameters, "best epoch" last, whatever card had them first.
    order.sort(key=lambda n: (n == "best epoch", n.startswith("final ")))
    rows = []
    for name in order:
        values = tuple(facts.get(name) for facts in per_card)
        if all(v is None for v in values):
            continue
        texts = tuple(_show(v) for v in values)
        rows.append(Row(name, values, texts, _marks(texts)))
    return Comparison(tuple(distinct(names)), tuple(rows), tuple(c.path for c in loaded))
