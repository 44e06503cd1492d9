"""Checks of impossible values and failed runs (MC411-MC415) and of the evaluation split (MC421)."""

from __future__ import annotations

from collections.abc import Iterator

from .._names import COLUMN_ALIASES, canonical
from ..diagnostics import Diagnostic
from ..models import EpochResult, ModelCard
from ._values import (
    Num,
    Source,
    fmt,
    groups,
    index_sources,
    is_bounded,
    is_loss,
    percent_scale,
    row_source,
    text_sources,
    tokens,
)

__all__ = [
    "evaluated_on_train_split",
    "loss_in_the_tens",
    "metric_out_of_range",
    "near_zero_headline",
    "training_loss_never_logged",
    "validation_loss_flat",
]

_NON_NEGATIVE = frozenset(
    {"wer", "cer", "bleu", "sacrebleu", "rouge", "rouge1", "rouge2", "rougel", "rougelsum", "meteor"}
)
"""Name parts of metrics that cannot be negative (besides losses and bounded rates)."""


def _lines(nums: list[Num]) -> str:
    return f"line {nums[0].line}" + (f", {len(nums)} values in all" if len(nums) > 1 else "")


# --- MC411 ---------------------------------------------------------------------------------
def _range_problem(n: Num, fraction: bool, why: str) -> str | None:
    """What is impossible about ``n``; ``fraction``: its metric is known to be on the [0, 1] scale."""
    if is_bounded(n.key):
        if n.value < 0:
            return "is negative"
        if n.value > 100:
            return "is above 100 (%)"
        if n.value > 1 and fraction:
            return f"is above 1 although {why} states it as a fraction in [0, 1]"
        return None
    if is_loss(n.key) and n.value < 0:
        return "is negative, impossible for a loss"
    if set(tokens(n.key)) & _NON_NEGATIVE and n.value < 0:
        return "is below 0"
    return None


def _report_range(where: str, nums: list[Num], fraction: set[str], why: str) -> Iterator[Diagnostic]:
    bad: dict[tuple[str, str], list[Num]] = {}
    for n in nums:
        problem = _range_problem(n, n.key in fraction, why)
        if problem is not None:
            bad.setdefault((n.key, problem), []).append(n)
    for (key, problem), found in bad.items():
        yield Diagnostic.make(
            "MC411", f"{key} {fmt(found[0])} in {where} {problem} ({_lines(found)})", found[0].line
        )


def metric_out_of_range(card: ModelCard) -> Iterator[Diagnostic]:
    """Precision/recall/F1/accuracy below 0, above 100, or above 1 where the same metric is
    otherwise a fraction; negative losses; WER, CER, BLEU, ROUGE below 0."""
    table_fractions: set[str] = set()
    for dataset, rows in groups(card).items():
        columns: dict[str, list[Num]] = {}
        for row in rows:
            for n in row_source(row).nums.values():
                columns.setdefault(n.key, []).append(n)
        fraction = {k for k, col in columns.items() if is_bounded(k) and not percent_scale(col)}
        table_fractions |= fraction
        where = "the training results" + (f" of {dataset}" if dataset else "")
        nums = [n for col in columns.values() for n in col]
        yield from _report_range(where, nums, fraction, "the rest of its column")
    for src in text_sources(card):
        yield from _report_range(
            "the evaluation results", list(src.nums.values()), table_fractions, "the training-results table"
        )
    for src in index_sources(card):
        yield from _report_range("model-index", list(src.nums.values()), set(), "")


# --- MC412 ---------------------------------------------------------------------------------
HEADLINE = frozenset(
    {
        "f1",
        "accuracy",
        "overall_f1",
        "overall_accuracy",
        "micro_f1",
        "f1_micro",
        "macro_f1",
        "f1_macro",
        "weighted_f1",
        "f1_weighted",
        "validation_accuracy",
        "eval_accuracy",
    }
)
"""The metrics a card leads with; per-label and per-class values may be zero legitimately."""
NEAR_ZERO = 0.05
"""On the fraction scale (5 on the percent scale)."""


def _final_sources(card: ModelCard) -> list[Source]:
    """Where the card states its final numbers: evaluation list, else model-index, else last rows."""
    for sources in (
        text_sources(card),
        index_sources(card),
        [row_source(rows[-1]) for rows in groups(card).values()],
    ):
        with_headline = [s for s in sources if HEADLINE & s.nums.keys()]
        if with_headline:
            return with_headline
    return []


def near_zero_headline(card: ModelCard) -> Iterator[Diagnostic]:
    """The final F1 or accuracy is near zero: the model does not work."""
    for src in _final_sources(card):
        limit = NEAR_ZERO * (100 if percent_scale(src.nums.values()) else 1)
        low = [n for k, n in src.nums.items() if k in HEADLINE and 0 <= n.value < limit]
        if low:
            shown = ", ".join(f"{n.key} {fmt(n)} (line {n.line})" for n in low)
            yield Diagnostic.make(
                "MC412",
                f"{src.describe()} give{'' if src.kind == 'text' else 's'} {shown}, near zero "
                f"(below {limit:g}): the model, or the metric computation, does not work",
                low[0].line,
            )


# --- MC413 ---------------------------------------------------------------------------------
def _never_below_first(values: list[float]) -> bool:
    return min(values[1:]) >= values[0]


def validation_loss_flat(card: ModelCard) -> Iterator[Diagnostic]:
    """Validation loss that does not move, or that never improves while training loss does not either."""
    for dataset, rows in groups(card).items():
        val = [r for r in rows if r.validation_loss is not None]
        if len(val) < 3:
            continue
        vl = [r.validation_loss for r in val if r.validation_loss is not None]
        where = f" of {dataset}" if dataset else ""
        span = f"lines {val[0].source_line}-{val[-1].source_line}"
        if max(vl) - min(vl) <= max(1e-4, 1e-3 * max(abs(v) for v in vl)):
            yield Diagnostic.make(
                "MC413",
                f"the validation loss{where} stays at {vl[0]:g} in all {len(vl)} rows ({span}): "
                "the model is not learning",
                val[0].source_line,
            )
            continue
        tl = _distinct_training_losses(rows)
        if len(tl) >= 3 and _never_below_first(vl) and _never_below_first(tl):
            yield Diagnostic.make(
                "MC413",
                f"neither the training loss ({tl[0]:g} -> {tl[-1]:g}) nor the validation loss{where} "
                f"({vl[0]:g} -> {vl[-1]:g}) ever drops below its first value ({span}): the model "
                "is not learning",
                val[0].source_line,
            )


def _distinct_training_losses(rows: list[EpochResult]) -> list[float]:
    """Logged training losses, a value repeated on the next row counted once (nothing new logged)."""
    out: list[float] = []
    for r in rows:
        if r.training_loss is not None and (not out or out[-1] != r.training_loss):
            out.append(r.training_loss)
    return out


# --- MC414 ---------------------------------------------------------------------------------
TENS = 10.0


def _is_speech(card: ModelCard) -> bool:
    keys = {k for r in card.eval_results for k in r.metrics}
    keys |= {k for r in card.training_results for k in r.metrics}
    return any({"wer", "cer"} & set(tokens(k)) for k in keys)


def loss_in_the_tens(card: ModelCard) -> Iterator[Diagnostic]:
    """A final training or validation loss of 10 or more (not for CTC speech cards)."""
    if _is_speech(card):
        return
    found: list[Num] = []
    for key in ("validation_loss", "training_loss"):
        final = next((s.nums[key] for s in text_sources(card) if key in s.nums), None)
        if final is None:
            for rows in groups(card).values():
                logged = [n for n in (row_source(r).nums.get(key) for r in rows) if n is not None]
                if logged:
                    final = logged[-1]
        if final is not None and final.value >= TENS:
            found.append(final)
    if found:
        shown = " and ".join(f"final {n.key.replace('_', ' ')} {fmt(n)} (line {n.line})" for n in found)
        yield Diagnostic.make(
            "MC414", f"{shown}: a loss in the tens, the run did not converge", found[0].line
        )


# --- MC415 ---------------------------------------------------------------------------------
def _has_training_loss_column(row: EpochResult) -> bool:
    return any(COLUMN_ALIASES.get(canonical(title)) == "training_loss" for title in row.raw)


def training_loss_never_logged(card: ModelCard) -> Iterator[Diagnostic]:
    """ "No log" in every row of the Training Loss column (two rows or more)."""
    for dataset, rows in groups(card).items():
        if len(rows) < 2 or not _has_training_loss_column(rows[0]):
            continue
        if all(r.training_loss is None for r in rows):
            where = f" of {dataset}" if dataset else ""
            last = rows[-1]
            yield Diagnostic.make(
                "MC415",
                f"the training loss{where} is 'No log' in all {len(rows)} rows (lines "
                f"{rows[0].source_line}-{last.source_line}): training ended"
                + (f" at step {last.step}" if last.step is not None else "")
                + " before the first logging step, so the card shows no training loss at all",
                rows[0].source_line,
            )


# --- MC421 ---------------------------------------------------------------------------------
def evaluated_on_train_split(card: ModelCard) -> Iterator[Diagnostic]:
    """A model-index result whose dataset split is the training split."""
    for result in card.eval_results:
        if result.source != "model-index" or result.split is None:
            continue
        split = result.split.strip().lower()
        if split in ("train", "training") or split.startswith("train["):
            line = result.lines.get("split", result.source_line)
            name = f" of {result.dataset}" if result.dataset else ""
            yield Diagnostic.make(
                "MC421",
                f"model-index reports results on the {result.split!r} split{name} (line {line}): "
                "scores measured on training data overstate the model (if the evaluation set was "
                "split off the training split, the card should say so)",
                line,
            )
