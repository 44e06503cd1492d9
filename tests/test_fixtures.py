"""Hand-written cards, one per dialect and per defect, against their complete expected JSON.

``tests/fixtures/cards/<case>.md`` is a card written for this suite (not copied from
anywhere); ``<case>.expected.json`` is its complete contract JSON
(``parse(card).model_dump(mode="json")``), every value written down from the card by
hand.  ``CASES`` says what each one exercises; a new card needs an entry there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelcard_parser import parse
from tests._jsondiff import assert_json_equal

CARDS = Path(__file__).resolve().parent / "fixtures" / "cards"

CASES: dict[str, str] = {
    "trainer_old_phrasing": "4.6-4.45 'Adam with betas=...' line, No log rows, model-index with results",
    "trainer_optimizernames": "4.46+ 'Use OptimizerNames.PAGED_ADAMW ...' (member != value) with optimizer_args",
    "trainer_args_are_two_lines": "'Use OptimizerNames.ADAFACTOR and the args are:' with the args on the next line",
    "keras_legacy_warmup_mixed_precision": "legacy dict, WarmUp(PolynomialDecay), LossScaleOptimizer inner_optimizer",
    "keras_np_float32": "TF 2.18 dict holding np.float32(1e-04) values",
    "keras_multi_metric_table": "Train/Validation metric columns, misnamed 'Train Rouge1', float32 noise betas",
    "multi_dataset_captioned_tables": "one table per dataset under a caption, one evaluation list per dataset",
    "raw_eval_list": "evaluate-only run: raw '- eval_loss:' list and '- step: 0', no results section",
    "seqeval_dict_cells": "dict-valued per-entity cells and evaluation bullets",
    "no_log_rows": "'No log' rows, eval_on_start row at epoch 0 step 0, 'Model Preparation Time' column",
    "peft_resave_bitsandbytes": "PEFT re-save: bitsandbytes block is not hyperparameters, '- PEFT' first, no final newline",
    "star_bullets_no_trailing_pipes": "hand edits: '*' bullets, 5e-4 shortened, table rows without closing pipes",
    "crlf_bom": "CRLF line endings and a UTF-8 BOM (MC114)",
    "v5_fractional_warmup": "transformers 5: lr_scheduler_warmup_steps 0.03 is a warmup ratio",
    "training_steps_multi_gpu": "training_steps instead of num_epochs, multi-GPU, Apex opt level O1",
    "empty_base_model_link": "'[](https://huggingface.co/)' names no base model (MC304)",
    "trained_from_scratch_none_dataset": "'trained from scratch on the None dataset', 4.10 model-index mapping",
    "prose_rewrite": "no front matter, plain-line headings, '•' bullets, Title Case keys, pipe-less header",
    "classification_report_cell": "classification report spanning lines in a table cell and in a bullet",
    "hyperparameters_stated_twice": "two runs' lists under subsections: first value kept, MC309 for the other",
}


def test_every_fixture_card_has_a_case_and_an_expected_json() -> None:
    cards = {p.stem for p in CARDS.glob("*.md")}
    assert cards == set(CASES)
    assert {p.name.removesuffix(".expected.json") for p in CARDS.glob("*.expected.json")} == cards


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_json(case: str) -> None:
    expected = json.loads((CARDS / f"{case}.expected.json").read_text(encoding="utf-8"))
    actual = parse(CARDS / f"{case}.md").model_dump(mode="json")
    assert_json_equal(expected, actual, f"{case}.md ({CASES[case]})")


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_diagnostics_codes_and_lines(case: str) -> None:
    expected = json.loads((CARDS / f"{case}.expected.json").read_text(encoding="utf-8"))
    card = parse(CARDS / f"{case}.md")
    assert [(d.code, d.line) for d in card.diagnostics] == [
        (d["code"], d["line"]) for d in expected["diagnostics"]
    ]


def test_crlf_bom_fixture_really_has_them() -> None:
    data = (CARDS / "crlf_bom.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\r\n") == data.count(b"\n")


def test_peft_fixture_has_no_trailing_newline() -> None:
    assert not (CARDS / "peft_resave_bitsandbytes.md").read_bytes().endswith(b"\n")


def test_lines_are_file_lines_in_crlf_card() -> None:
    card = parse(CARDS / "crlf_bom.md")
    assert [r.source_line for r in card.training_results] == [45, 46, 47]
    assert card.hyperparameters.lines["learning_rate"] == 33


def test_prose_rewrite_reads_like_its_trainer_card() -> None:
    card = parse(CARDS / "prose_rewrite.md")
    hp = card.hyperparameters
    assert (
        hp.learning_rate,
        hp.train_batch_size,
        hp.num_epochs,
        hp.lr_scheduler and hp.lr_scheduler.type,
    ) == (
        2e-05,
        64,
        2.0,
        "linear",
    )
    assert [r.source_line for r in card.training_results] == [33, 34]
