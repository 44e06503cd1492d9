"""Checks that compare statements of the same numbers (MC401-MC404)."""

from __future__ import annotations

from collections.abc import Iterator

from .._names import TIMING_METRICS
from ..diagnostics import Diagnostic
from ..models import EpochResult, ModelCard
from ._values import Num, Source, fmt, groups, index_sources, is_loss, row_source, text_sources, tokens

__all__ = [
    "bullets_match_earlier_row",
    "bullets_vs_last_row",
    "f1_not_harmonic_mean",
    "model_index_vs_body",
]

_NOT_COMPARED = frozenset({"epoch", "step"}) | TIMING_METRICS
"""Keys that identify a row or measure the machine, not the model."""


def _agree(a: Num, b: Num) -> bool:
    """Equal up to the rounding of both written values."""
    return abs(a.value - b.value) <= a.half + b.half


def _agree_scaled(a: Num, b: Num) -> bool:
    """Equal when one of them is a percentage of the other (0.9464 vs 94.64)."""
    return (
        abs(a.value * 100 - b.value) <= 100 * a.half + b.half
        or abs(a.value - 100 * b.value) <= a.half + 100 * b.half
    )


# --- MC401 ---------------------------------------------------------------------------
def _other_split(src: Source, key: str) -> bool:
    """A model-index value on the test split ("Test WER"): the body's evaluation set is another."""
    result = src.result
    if result is None:
        return False
    if (result.split or "").strip().lower().startswith("test"):
        return True
    names = [d.name or "" for d in result.details if d.key == key]
    return any("test" in name.lower().split() for name in names)


def model_index_vs_body(card: ModelCard) -> Iterator[Diagnostic]:
    """A model-index value that no evaluation bullet of the same metric rounds to."""
    index = index_sources(card)
    if not index:
        return
    for text in text_sources(card):
        for key, t in text.nums.items():
            if key in _NOT_COMPARED:
                continue
            stated = [s.nums[key] for s in index if key in s.nums and not _other_split(s, key)]
            if not stated or any(_agree(t, m) or (not is_loss(key) and _agree_scaled(t, m)) for m in stated):
                continue
            m = min(stated, key=lambda n: abs(n.value - t.value))
            yield Diagnostic.make(
                "MC401",
                f"model-index says {key} = {fmt(m)} (line {m.line}) but the evaluation results say "
                f"{fmt(t)} (line {t.line}): they differ by {abs(m.value - t.value):.4g}, more than "
                "the rounding of the written values",
                m.line,
            )


# --- MC402 / MC403 -----------------------------------------------------------------
def _where(row: EpochResult) -> str:
    """``epoch 2, step 426``, the epoch as written (a Keras card's 0-based index)."""
    parts = []
    written = next((t.strip() for k, t in row.raw.items() if k.strip().lower() == "epoch"), None)
    if written:
        parts.append(f"epoch {written}")
    elif row.epoch is not None:
        parts.append(f"epoch {row.epoch:g}")
    if row.step is not None:
        parts.append(f"step {row.step}")
    return ", ".join(parts) or "a row"


def _matches(text: Source, row: Source) -> bool | None:
    """True/False when the row and the list share a metric; None when they share none."""
    shared = [k for k in text.nums if k in row.nums]
    if not any(k not in _NOT_COMPARED for k in shared):
        return None
    return all(_agree(text.nums[k], row.nums[k]) for k in shared)


def _on(dataset: str | None) -> str:
    return f" on {dataset}" if dataset else ""


def _same_name(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def ends_training(card: ModelCard, row: EpochResult) -> bool:
    """The row is the end of training: its epoch is num_epochs, or its step training_steps."""
    hp = card.hyperparameters
    if hp.num_epochs is not None and row.epoch is not None:
        return abs(row.epoch - hp.num_epochs) <= 0.011
    if hp.training_steps is not None and row.step is not None:
        return row.step >= hp.training_steps
    return False


def _compare_with_table(card: ModelCard) -> Iterator[Diagnostic]:
    table = groups(card)
    if not table:
        return
    keras = card.style == "keras"
    for text in text_sources(card):
        chosen = {
            g: rows
            for g, rows in table.items()
            if g is not None and text.dataset is not None and _same_name(g, text.dataset)
        } or table
        lasts = [row_source(rows[-1]) for rows in chosen.values()]
        rows = [row_source(r) for rs in chosen.values() for r in rs]
        verdicts = [_matches(text, r) for r in rows]
        if all(v is None for v in verdicts):
            continue  # nothing in common with the table (another dataset, other metrics)
        if any(_matches(text, last) for last in lasts):
            continue
        matched = [r for r, v in zip(rows, verdicts, strict=True) if v]
        if matched:
            best = matched[-1]
            last = lasts[-1] if best.dataset is None else row_source(chosen[best.dataset][-1])
            assert best.row is not None
            assert last.row is not None
            why = (
                "a card pushed before training ended, or edited"
                if keras
                else "load_best_model_at_end or an early-stopping callback"
            )
            yield Diagnostic.make(
                "MC403",
                f"the evaluation results (line {text.line}) match the training-results row at "
                f"{_where(best.row)} (line {best.line}), not the last row at {_where(last.row)} "
                f"(line {last.line}): the card reports an earlier checkpoint ({why})",
                text.line,
            )
            continue
        last = lasts[-1]
        assert last.row is not None
        epoch_says_last = (
            "epoch" in text.nums and "epoch" in last.nums and _agree(text.nums["epoch"], last.nums["epoch"])
        )
        if not (keras or epoch_says_last or ends_training(card, last.row)):
            continue  # the final model was evaluated after the last row: nothing to compare
        differ = [k for k in text.nums if k in last.nums and not _agree(text.nums[k], last.nums[k])]
        shown = "; ".join(
            f"{k} {fmt(text.nums[k])} (line {text.nums[k].line}) vs {fmt(last.nums[k])}" for k in differ[:3]
        )
        yield Diagnostic.make(
            "MC402",
            f"the evaluation results{_on(text.dataset)} match no row of the training-results "
            f"table{_on(last.dataset)}, although its last row at {_where(last.row)} (line {last.line}) "
            f"ends training: {shown}",
            text.nums[differ[0]].line if differ else text.line,
        )


def bullets_vs_last_row(card: ModelCard) -> Iterator[Diagnostic]:
    """Evaluation results that match no table row although the last row ends training."""
    return (d for d in _compare_with_table(card) if d.code == "MC402")


def bullets_match_earlier_row(card: ModelCard) -> Iterator[Diagnostic]:
    """Evaluation results that match an earlier row than the last (best checkpoint)."""
    return (d for d in _compare_with_table(card) if d.code == "MC403")


# --- MC404 -----------------------------------------------------------------------------
_AVERAGED = frozenset({"macro", "weighted", "samples", "avg", "mean", "threshold"})
"""Macro/weighted averages are not the harmonic mean of the averaged P and R."""


_MICRO = frozenset({"micro", "overall"})
"""Averages whose F1 is the harmonic mean of their P and R (seqeval's overall_* is micro)."""
_SEQEVAL_ORDER = ["precision", "recall", "f1", "accuracy"]


def _micro_plain(card: ModelCard, nums: dict[str, Num]) -> bool:
    """Whether plain precision/recall/f1 are micro averages: a token-classification card
    (seqeval's overall scores, reported in seqeval's order P, R, F1, accuracy).  Plain
    P/R/F1 of a text classifier are often macro or weighted averages, so they are skipped."""
    tasks = {r.task for r in card.eval_results if r.task} | {card.pipeline_tag or ""}
    if "token-classification" in tasks:
        return True
    keys = [k for k in nums if k in _SEQEVAL_ORDER]
    return keys == _SEQEVAL_ORDER


def _triples(card: ModelCard, nums: dict[str, Num]) -> Iterator[tuple[Num, Num, Num]]:
    plain_ok: bool | None = None
    for key, f in nums.items():
        parts = tokens(key)
        if "f1" not in parts or set(parts) & _AVERAGED:
            continue
        if not set(parts) & _MICRO:
            if plain_ok is None:
                plain_ok = _micro_plain(card, nums)
            if not plain_ok:
                continue
        p = "_".join("precision" if t == "f1" else t for t in parts)
        r = "_".join("recall" if t == "f1" else t for t in parts)
        if p in nums and r in nums:
            yield nums[p], nums[r], f


def _hm(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b > 0 else 0.0


def _hm_mismatch(p: Num, r: Num, f: Num) -> float | None:
    """The harmonic mean of P and R when F1 lies outside what rounding allows, else None."""
    lo = _hm(max(p.value - p.half, 0.0), max(r.value - r.half, 0.0))
    hi = _hm(p.value + p.half, r.value + r.half)
    if lo - f.half <= f.value <= hi + f.half:
        return None
    return _hm(p.value, r.value)


def _hm_message(p: Num, r: Num, f: Num, hm: float, *, lines: bool = True) -> str:
    def at(n: Num) -> str:
        return f" (line {n.line})" if lines else ""

    return (
        f"{f.key} {fmt(f)}{at(f)} is not the harmonic mean of {p.key} {fmt(p)}{at(p)} and "
        f"{r.key} {fmt(r)}{at(r)}: 2PR/(P+R) = {hm:.4f}"
    )


def f1_not_harmonic_mean(card: ModelCard) -> Iterator[Diagnostic]:
    """A micro F1 (overall_*, *_micro, or a token classifier's plain F1) that is not
    2PR/(P+R) of the P and R beside it."""
    texts = text_sources(card)
    checked: set[str] = set()
    for src in texts:
        for p, r, f in _triples(card, src.nums):
            checked.add(f.key)
            hm = _hm_mismatch(p, r, f)
            if hm is not None:
                yield Diagnostic.make("MC404", _hm_message(p, r, f, hm), f.line)
    for src in index_sources(card):
        for p, r, f in _triples(card, src.nums):
            if f.key in checked:
                continue  # the evaluation results say the same (MC401 compares them)
            hm = _hm_mismatch(p, r, f)
            if hm is not None:
                yield Diagnostic.make("MC404", f"model-index: {_hm_message(p, r, f, hm)}", f.line)
    for dataset, rows in groups(card).items():
        bad: dict[str, list[tuple[Source, str]]] = {}
        total: dict[str, int] = {}
        for row in rows:
            src = row_source(row)
            for p, r, f in _triples(card, src.nums):
                total[f.key] = total.get(f.key, 0) + 1
                hm = _hm_mismatch(p, r, f)
                if hm is not None:
                    bad.setdefault(f.key, []).append((src, _hm_message(p, r, f, hm, lines=False)))
        for key, found in bad.items():
            src, message = found[0]
            where = f" of {dataset}" if dataset else ""
            more = f"; {len(found)} of {total[key]} rows{where} disagree" if len(found) > 1 else ""
            yield Diagnostic.make(
                "MC404", f"training-results row (line {src.line}): {message}{more}", src.line
            )
