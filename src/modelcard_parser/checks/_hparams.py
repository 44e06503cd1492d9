"""Hyperparameter arithmetic (MC431-MC433)."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..models import EpochResult, ModelCard
from ._values import groups, half_unit

__all__ = ["batch_size_arithmetic", "epochs_vs_table", "steps_per_epoch_constant"]


# --- MC431 ---------------------------------------------------------------------------------
def _mismatch(total: int, expected: int, devices_unknown: bool) -> bool:
    if devices_unknown:
        return expected == 0 or total % expected != 0
    return total != expected


def batch_size_arithmetic(card: ModelCard) -> Iterator[Diagnostic]:
    """total_train_batch_size = train_batch_size x gradient_accumulation_steps x num_devices."""
    hp = card.hyperparameters
    gas = hp.gradient_accumulation_steps or 1
    devices = hp.num_devices or 1
    # A distributed type without num_devices (optimum-graphcore's IPU replicas) leaves the
    # device count unknown: the total must then only be a multiple.
    unknown = hp.num_devices is None and hp.distributed_type is not None
    if hp.total_train_batch_size is not None and hp.train_batch_size is not None:
        expected = hp.train_batch_size * gas * devices
        if _mismatch(hp.total_train_batch_size, expected, unknown):
            yield Diagnostic.make(
                "MC431",
                f"total_train_batch_size {hp.total_train_batch_size} "
                f"(line {hp.lines.get('total_train_batch_size')}) is not train_batch_size "
                f"{hp.train_batch_size} x gradient_accumulation_steps {gas} x num_devices {devices} "
                f"= {expected}",
                hp.lines.get("total_train_batch_size"),
            )
    if hp.total_eval_batch_size is not None and hp.eval_batch_size is not None:
        expected = hp.eval_batch_size * devices
        if _mismatch(hp.total_eval_batch_size, expected, unknown):
            yield Diagnostic.make(
                "MC431",
                f"total_eval_batch_size {hp.total_eval_batch_size} "
                f"(line {hp.lines.get('total_eval_batch_size')}) is not eval_batch_size "
                f"{hp.eval_batch_size} x num_devices {devices} = {expected}",
                hp.lines.get("total_eval_batch_size"),
            )


# --- MC432 ---------------------------------------------------------------------------------
_EPOCH_ROUNDING = 0.011
"""transformers <= 4.38 logged round(epoch, 2)."""


def _interval(values: list[float]) -> float:
    """The typical distance between consecutive evaluations (median of the gaps)."""
    gaps = [b - a for a, b in itertools.pairwise(values) if b > a]
    if gaps:
        return statistics.median(gaps)
    return values[-1] if values else 0.0


def epochs_vs_table(card: ModelCard) -> Iterator[Diagnostic]:
    """The table goes past num_epochs/training_steps, or stops more than one evaluation short."""
    hp = card.hyperparameters
    rows = card.training_results
    if hp.num_epochs is not None:
        with_epoch = [r for r in rows if r.epoch is not None]
        if not with_epoch:
            return
        last = max(with_epoch, key=lambda r: r.epoch or 0.0)
        assert last.epoch is not None
        epochs = sorted({r.epoch for r in with_epoch if r.epoch is not None})
        yield from _compare(
            last,
            unit="epoch",
            reached=last.epoch,
            seen=epochs,
            name="num_epochs",
            stated=hp.num_epochs,
            line=hp.lines.get("num_epochs"),
        )
    elif hp.training_steps is not None:
        with_step = [r for r in rows if r.step is not None]
        if not with_step:
            return
        last = max(with_step, key=lambda r: r.step or 0)
        assert last.step is not None
        steps = sorted({float(r.step) for r in with_step if r.step is not None})
        yield from _compare(
            last,
            unit="step",
            reached=float(last.step),
            seen=steps,
            name="training_steps",
            stated=float(hp.training_steps),
            line=hp.lines.get("training_steps"),
        )


def _compare(
    row: EpochResult,
    *,
    unit: str,
    reached: float,
    seen: list[float],
    name: str,
    stated: float,
    line: int | None,
) -> Iterator[Diagnostic]:
    slack = _EPOCH_ROUNDING if unit == "epoch" else 0.0
    if reached > stated + slack:
        yield Diagnostic.make(
            "MC432",
            f"the training results reach {unit} {reached:g} (line {row.source_line}) but {name} is "
            f"{stated:g} (line {line})",
            row.source_line,
        )
    elif reached + _interval(seen) < stated - slack:
        yield Diagnostic.make(
            "MC432",
            f"the training results stop at {unit} {reached:g} (line {row.source_line}), more than one "
            f"evaluation interval before {name} {stated:g} (line {line}): training stopped early "
            "(early stopping, an interrupted run) or the table is partial",
            row.source_line,
        )


# --- MC433 ---------------------------------------------------------------------------------
_STEP_SLACK = 2.0
"""Optimizer steps are whole: mid-epoch and epoch-end rows may be off by one or two steps."""


def steps_per_epoch_constant(card: ModelCard) -> Iterator[Diagnostic]:
    """step / epoch is the same for every row (within rounding) in each table.

    Not for runs with training_steps (max_steps): streamed (iterable) datasets need it, and
    their epoch counts passes over a stream, not steps / steps per epoch."""
    if card.hyperparameters.training_steps is not None:
        return
    for dataset, rows in groups(card).items():
        lo, hi = 0.0, float("inf")
        first: EpochResult | None = None
        for row in rows:
            if row.epoch is None or row.step is None or row.epoch <= 0 or row.step <= 0:
                continue
            text = next((t for k, t in row.raw.items() if k.strip().lower() in ("epoch", "epochs")), None)
            delta = half_unit(row.epoch, text, min_decimals=2)
            if row.epoch - delta <= 0:
                continue
            row_lo = (row.step - _STEP_SLACK) / (row.epoch + delta)
            row_hi = (row.step + _STEP_SLACK) / (row.epoch - delta)
            if first is None:
                first = row
            if row_lo > hi or row_hi < lo:
                assert first.epoch is not None
                assert first.step is not None
                where = f" of {dataset}" if dataset else ""
                yield Diagnostic.make(
                    "MC433",
                    f"steps per epoch change in the training results{where}: epoch {first.epoch:g} "
                    f"is step {first.step} (line {first.source_line}, {first.step / first.epoch:.1f} "
                    f"steps per epoch), epoch {row.epoch:g} is step {row.step} (line "
                    f"{row.source_line}, {row.step / row.epoch:.1f})",
                    row.source_line,
                )
                break
            lo, hi = max(lo, row_lo), min(hi, row_hi)
