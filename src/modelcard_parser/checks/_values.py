"""Numbers as the checks see them: value, line, the rounding of the written text, scale.

Every number a check compares carries the half unit of its last written decimal
(``0.9464`` -> 0.00005): two statements of one quantity agree when they differ by no
more than the sum of their half units.  Body values are rounded by the generator
(FORMATS 1.4: 4 decimals only when there were more), model-index values are raw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .._names import COLUMN_ALIASES, canonical
from ..models import EpochResult, EvalMetrics, ModelCard

__all__ = [
    "BOUNDED",
    "Num",
    "Source",
    "fmt",
    "groups",
    "half_unit",
    "index_sources",
    "is_bounded",
    "is_loss",
    "percent_scale",
    "row_source",
    "text_sources",
    "tokens",
]

_NUMBER = re.compile(r"^[+-]?(?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[+-]?\d+))?$")
_FLOAT_EPS = 1e-9

BOUNDED = frozenset({"precision", "recall", "f1", "f2", "accuracy"})
"""Name parts of metrics that live in [0, 1] (or [0, 100] as percentages)."""
_NOT_A_RATE = frozenset({"number", "support", "count", "threshold", "std", "samples", "runtime"})
"""Name parts that make a bounded-looking key a count or a setting (``loc_number``)."""


def tokens(key: str) -> list[str]:
    """``overall_f1`` -> ["overall", "f1"]."""
    return key.split("_")


def is_bounded(key: str) -> bool:
    """A precision/recall/F1/accuracy-like metric (any prefix or suffix)."""
    parts = set(tokens(key))
    return bool(parts & BOUNDED) and not parts & _NOT_A_RATE


def is_loss(key: str) -> bool:
    """``training_loss``, ``validation_loss``, ``cls_loss``, ``loss``."""
    return key == "loss" or key.endswith("_loss")


def _decimals(text: str) -> int | None:
    s = text.strip().replace("**", "").rstrip("%").strip()
    m = _NUMBER.match(s)
    if not m or not (m.group("int") or m.group("frac")):
        return None
    digits = len(m.group("frac") or "")
    exp = int(m.group("exp") or 0)
    return max(digits - exp, 0)


def half_unit(value: float, text: str | None = None, *, min_decimals: int = 0) -> float:
    """Half a unit of the last decimal of ``text`` (or of ``repr(value)``).

    ``min_decimals`` treats shorter texts as if written with that many decimals (an
    epoch ``1.0`` is exact, not "somewhere in [0.95, 1.05]").  Full-precision values get
    a float epsilon.
    """
    d = _decimals(text) if text is not None else None
    if d is None:
        d = _decimals(repr(float(value)))
    d = max(d if d is not None else 0, min_decimals)
    if d > 8:
        return _FLOAT_EPS * max(1.0, abs(value))
    return 0.5 * 10.0**-d + _FLOAT_EPS * max(1.0, abs(value))


def fmt(num: Num) -> str:
    """The value as written (or its repr)."""
    return num.text.strip() if num.text is not None else f"{num.value:.10g}"


@dataclass(frozen=True, slots=True)
class Num:
    """One number of a card."""

    key: str
    value: float
    line: int | None
    text: str | None = None
    """As written, when known (body values)."""
    half: float = 0.0
    """Half a unit of the last written decimal."""
    percent: bool = False
    """Written with a ``%`` sign."""


def _num(key: str, value: float, line: int | None, text: str | None) -> Num:
    return Num(
        key=key,
        value=value,
        line=line,
        text=text,
        half=half_unit(value, text),
        percent=text is not None and text.strip().endswith("%"),
    )


@dataclass(slots=True)
class Source:
    """A set of numbers stated together: an evaluation list, a model-index result, a table row."""

    kind: str
    """``text``, ``model-index`` or ``row``."""
    nums: dict[str, Num]
    line: int | None
    dataset: str | None = None
    row: EpochResult | None = None
    result: EvalMetrics | None = None

    def describe(self) -> str:
        if self.kind == "text":
            return "the evaluation results"
        if self.kind == "model-index":
            return "model-index" + (f" ({self.dataset})" if self.dataset else "")
        return "the training-results row" + (f" of {self.dataset}" if self.dataset else "")


def _metric_source(result: EvalMetrics) -> Source:
    nums: dict[str, Num] = {}
    for d in result.details:
        if d.value is not None and d.key not in nums:
            nums[d.key] = _num(d.key, d.value, d.line, d.raw)
    return Source(
        kind=result.source,
        nums=nums,
        line=result.source_line,
        dataset=result.dataset,
        result=result,
    )


def text_sources(card: ModelCard) -> list[Source]:
    """The body's evaluation lists ("It achieves the following results ...")."""
    return [_metric_source(r) for r in card.eval_results if r.source == "text"]


def index_sources(card: ModelCard) -> list[Source]:
    """The model-index results (raw values)."""
    return [_metric_source(r) for r in card.eval_results if r.source == "model-index"]


def row_source(row: EpochResult) -> Source:
    """A training-results row with the text of each cell."""
    texts: dict[str, str] = {}
    for title, text in row.raw.items():
        key = canonical(title)
        texts[COLUMN_ALIASES.get(key, key)] = text
    nums: dict[str, Num] = {}
    fields: dict[str, float | None] = {
        "epoch": row.epoch,
        "step": float(row.step) if row.step is not None else None,
        "training_loss": row.training_loss,
        "validation_loss": row.validation_loss,
        **row.metrics,
    }
    for key, value in fields.items():
        if value is None:
            continue
        written = texts.get(key)
        if key == "epoch" and written is not None and value != _plain(written):
            written = None  # Keras epochs are shifted by one: the text no longer spells the value
        nums[key] = _num(key, value, row.source_line, written)
    return Source(kind="row", nums=nums, line=row.source_line, dataset=row.dataset, row=row)


def _plain(text: str) -> float | None:
    try:
        return float(text.strip().replace("**", "").rstrip("%"))
    except ValueError:
        return None


def groups(card: ModelCard) -> dict[str | None, list[EpochResult]]:
    """Training-results rows by table caption (one group for single-table cards)."""
    out: dict[str | None, list[EpochResult]] = {}
    for row in card.training_results:
        out.setdefault(row.dataset, []).append(row)
    return out


def percent_scale(nums: Iterable[Num]) -> bool:
    """Whether the bounded metrics of one group are percentages (0-100).

    A ``%`` sign decides; otherwise the majority does: a group is on the fraction scale
    when more of its bounded values are at most 1 than above 1 (a percentage table
    whose model is near zero still reads as percentages).
    """
    above = at_most = 0
    for n in nums:
        if not is_bounded(n.key) or n.value < 0:
            continue
        if n.percent:
            return True
        if n.value > 1:
            above += 1
        else:
            at_most += 1
    return above > 0 and above >= at_most
