"""``modelcard check``: contradictions, impossible values and failed runs in a parsed card.

Every check is a small function ``(card) -> Iterable[Diagnostic]`` emitting one code in
MC401-MC499.  :data:`CHECKS` below is the single registry: its order is the run order,
and each entry's severity, title and rationale are registered in
:data:`modelcard_parser.diagnostics.CODES` (what ``modelcard check --explain CODE``
prints).  Code families:

* ``MC40x`` one number stated twice: model-index vs the body, the body's evaluation
  results vs the training-results table, F1 vs precision and recall.
* ``MC41x`` impossible values and failed runs.
* ``MC42x`` what was evaluated (the training split).
* ``MC43x`` hyperparameter arithmetic.
* ``MC44x`` front matter vs body (base model, datasets).
* ``MC45x`` unfinished cards (placeholders, license).

>>> from modelcard_parser import check, parse
>>> findings = check(parse("examples/distilbert-finetuned-imdb.md"))  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..diagnostics import CODES, Diagnostic, Severity, register_code
from ..models import ModelCard
from ._consistency import (
    bullets_match_earlier_row,
    bullets_vs_last_row,
    f1_not_harmonic_mean,
    model_index_vs_body,
)
from ._hparams import batch_size_arithmetic, epochs_vs_table, steps_per_epoch_constant
from ._metadata import (
    base_model_two_ways,
    body_dataset_contradicts_metadata,
    body_dataset_missing_from_metadata,
    missing_license,
    placeholder_sections,
)
from ._plausibility import (
    evaluated_on_train_split,
    loss_in_the_tens,
    metric_out_of_range,
    near_zero_headline,
    training_loss_never_logged,
    validation_loss_flat,
)

__all__ = ["CHECKS", "Check", "check", "code_selected", "validate_selectors"]

CheckFunc = Callable[[ModelCard], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Check:
    """One registered check: its code, severity, title, rationale and function."""

    code: str
    severity: Severity
    title: str
    rationale: str
    func: CheckFunc


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CHECKS: tuple[Check, ...] = (
    Check(
        "MC401",
        _E,
        "model-index contradicts the evaluation results",
        "The model-index (front matter) holds the raw value of a metric and the body's "
        "evaluation bullets the same value rounded to 4 decimals (transformers' _maybe_round). When they "
        "differ by more than the rounding of both written values (a percentage of the other "
        "counts as equal), one of them was edited or comes from another run, and the Hub shows "
        "the model-index number. Error: the card's headline numbers cannot both be right.",
        model_index_vs_body,
    ),
    Check(
        "MC402",
        _W,
        "evaluation results match no training-results row",
        "The evaluation bullets come from the last evaluation of the run; when the table's "
        "last row is the end of training (its epoch is num_epochs or its step training_steps, "
        "or the card is a Keras card, whose bullets are its last row) the same model on the same "
        "data gives the same numbers. When they match no row at all, the bullets come from "
        "another evaluation (another split passed to evaluate(), another run) or were edited. "
        "Warning rather than error: a deliberate final evaluation on other data is legitimate, "
        "but the card does not say so. Not reported when the table stops before the end of "
        "training (the final model was evaluated later).",
        bullets_vs_last_row,
    ),
    Check(
        "MC403",
        _I,
        "evaluation results match an earlier row than the last",
        "The evaluation bullets equal an earlier row of the training-results table, not the "
        "last: the card reports the best checkpoint (load_best_model_at_end, early stopping), "
        "or, for Keras, a card pushed before training ended. Legitimate, so info: the message "
        "says which row the reported numbers belong to.",
        bullets_match_earlier_row,
    ),
    Check(
        "MC404",
        _W,
        "F1 is not the harmonic mean of precision and recall",
        "A micro/overall/binary F1 equals 2PR/(P+R) of the precision and recall reported beside "
        "it; the comparison allows for the rounding of all three written values. Macro, weighted "
        "and samples averages are skipped (their F1 is the mean of per-class F1s, not the "
        "harmonic mean of the averages). Warning: the F1 may be computed with another average "
        "than the P and R, or one of the numbers was copied wrongly.",
        f1_not_harmonic_mean,
    ),
    Check(
        "MC411",
        _E,
        "metric out of range",
        "Precision, recall, F1 and accuracy (any prefix or suffix: overall_f1, "
        "validation_accuracy) live in [0, 1], or [0, 100] as percentages; losses and "
        "WER/CER/BLEU/ROUGE are never negative. A group of values (one evaluation list, one "
        "model-index result, one table) is read as percentages when a value carries '%' or "
        "when at least as many of its rates are above 1 as at most 1; a rate above 1 is only "
        "reported in a group on the fraction scale, so cards stating percentages consistently "
        "are not flagged. WER and CER may exceed 1 (insertions) and are checked only for "
        "negative values. Error: the value is impossible.",
        metric_out_of_range,
    ),
    Check(
        "MC412",
        _E,
        "degenerate run: final F1 or accuracy near zero",
        "The final headline F1 or accuracy (the evaluation results, else model-index, else the "
        "last table row; per-label and per-class values are not headline metrics) is below "
        "0.05 (5 on the percent scale): the model predicts (almost) nothing right, e.g. a "
        "token classifier that only predicts 'O'. Error: the card describes a failed run.",
        near_zero_headline,
    ),
    Check(
        "MC413",
        _E,
        "degenerate run: validation loss not decreasing at all",
        "Over three or more evaluations the validation loss stays the same (within 0.1%), or "
        "neither the training loss nor the validation loss ever gets below its first value. "
        "A validation loss that rises from the first epoch while the training loss falls is "
        "ordinary overfitting of a pretrained model and is not reported. Error: the weights "
        "did not learn.",
        validation_loss_flat,
    ),
    Check(
        "MC414",
        _E,
        "degenerate run: loss in the tens",
        "A final training or validation loss of 10 or more: a cross-entropy that high is at or "
        "above chance even for a 50k-token vocabulary (ln 50257 = 10.8). Speech cards with WER "
        "or CER are skipped: CTC losses summed over an utterance are legitimately large. "
        "Error: the run did not converge.",
        loss_in_the_tens,
    ),
    Check(
        "MC415",
        _W,
        "training loss never logged",
        "'No log' in every row (two or more) of the Training Loss column: the whole run had "
        "fewer optimizer steps than logging_steps (500 by default), so nothing shows the "
        "training loss went down. The issue lists this among degenerate runs; it is a warning "
        "here because a short fine-tune on a small dataset is not wrong by itself. Together "
        "with MC412/MC413 it explains a failed run.",
        training_loss_never_logged,
    ),
    Check(
        "MC421",
        _W,
        "evaluated on the training split",
        "A model-index result names 'split: train': the metrics were measured on the data the "
        "model was trained on and overstate how it does on unseen data. Warning: sometimes the "
        "split field was filled from the training dataset by mistake, which is worth fixing too.",
        evaluated_on_train_split,
    ),
    Check(
        "MC431",
        _W,
        "batch-size arithmetic",
        "The Trainer writes total_train_batch_size = train_batch_size x "
        "gradient_accumulation_steps x num_devices and total_eval_batch_size = eval_batch_size "
        "x num_devices (missing lines mean 1; under DataParallel train_batch_size already "
        "includes the GPUs and there is no num_devices line). A different total means an "
        "edited or composed card. Warning.",
        batch_size_arithmetic,
    ),
    Check(
        "MC432",
        _W,
        "num_epochs/training_steps vs the training results",
        "The last epoch (or step, with training_steps) of the table is compared with the "
        "hyperparameter: past it means the table and the hyperparameters come from different "
        "runs; short of it by more than one evaluation interval (allowing the 2-decimal epoch "
        "rounding of transformers <= 4.38) means training stopped early (early stopping, an "
        "interrupted run) or the table is partial, which the card does not say. Warning.",
        epochs_vs_table,
    ),
    Check(
        "MC433",
        _W,
        "steps per epoch not constant",
        "Within one run every epoch has the same number of optimizer steps, so step / epoch is "
        "the same for every row, allowing for the written epoch's rounding and one or two "
        "steps for a partial accumulation at epoch end. A change means runs were concatenated, "
        "training was resumed with another batch size or dataset, or the table was edited. "
        "Warning.",
        steps_per_epoch_constant,
    ),
    Check(
        "MC441",
        _W,
        "base model stated two different ways",
        "The front matter's base_model and the body's 'fine-tuned version of [...]' link name "
        "different models. Ids equal up to case, or the same name with and without an "
        "organisation (bert-base-cased vs google-bert/bert-base-cased), count as the same; "
        "local paths are ignored. Warning: the Hub's model tree uses the front matter.",
        base_model_two_ways,
    ),
    Check(
        "MC442",
        _W,
        "body dataset missing from a datasets list",
        "The body's intro sentence names a dataset that the front matter's datasets list does "
        "not contain, while the list names others: the two disagree on what the model was "
        "trained on. Names match up to organisation, config words and version suffixes (GLUE "
        "SST2 ~ glue); generator artefacts ('the None dataset') and local loaders "
        "(imagefolder, json, csv) are ignored. Warning, like MC441.",
        body_dataset_contradicts_metadata,
    ),
    Check(
        "MC443",
        _I,
        "body dataset but no datasets list",
        "The body names a dataset but the front matter has no datasets list, so the Hub "
        "does not link the model to it. Info: metadata left incomplete, nothing contradicts.",
        body_dataset_missing_from_metadata,
    ),
    Check(
        "MC451",
        _I,
        "placeholder sections",
        "Sections still say 'More information needed', the generator's placeholder: the card "
        "was never completed. Info.",
        placeholder_sections,
    ),
    Check(
        "MC452",
        _I,
        "missing license",
        "The front matter states no license (or an empty one): users cannot tell whether they "
        "may use the model. Info.",
        missing_license,
    ),
)

for _c in CHECKS:
    register_code(_c.code, _c.severity, _c.title, _c.rationale)

_SELECTOR = re.compile(r"^MC\d{0,3}$")


def validate_selectors(selectors: Iterable[str]) -> list[str]:
    """Upper-cased codes/prefixes (``MC4``, ``MC401``, ``ALL``); ValueError for unknown ones."""
    out: list[str] = []
    for raw in selectors:
        s = raw.strip().upper()
        if not s:
            continue
        if s == "ALL":
            out.append("")
            continue
        if not _SELECTOR.match(s) or not any(code.startswith(s) for code in CODES):
            msg = f"unknown code or prefix {raw!r} (codes: {min(CODES)}..{max(CODES)})"
            raise ValueError(msg)
        out.append(s)
    return out


def code_selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """ruff's rule: the longest matching prefix wins; ignore wins a tie; no select = all."""
    sel = [""] if select is None else list(select)
    best_select = max((len(p) for p in sel if code.startswith(p)), default=-1)
    best_ignore = max((len(p) for p in (ignore or ()) if code.startswith(p)), default=-1)
    return best_select >= 0 and best_select > best_ignore


def check(
    card: ModelCard,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    parse_diagnostics: bool = False,
) -> list[Diagnostic]:
    """Run every registered check on ``card``; findings sorted by line, then code.

    ``select``/``ignore`` take codes or prefixes (``MC4``, ``MC41``, ``MC401``, ``ALL``);
    the longest matching prefix decides, as in ruff.  With ``parse_diagnostics`` the card's
    own diagnostics (MC1xx-MC3xx, from parsing) are included and filtered the same way.
    Raises ValueError for an unknown code or prefix.
    """
    sel = validate_selectors(select) if select is not None else None
    ign = validate_selectors(ignore) if ignore is not None else None
    found: list[Diagnostic] = list(card.diagnostics) if parse_diagnostics else []
    for c in CHECKS:
        if code_selected(c.code, sel, ign):
            found.extend(c.func(card))
    found = [d for d in found if code_selected(d.code, sel, ign)]
    found.sort(key=lambda d: (d.line if d.line is not None else 0, d.code))
    return found
