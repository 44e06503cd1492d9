"""``modelcard check`` / ``check(card)``: each check on a minimal card that triggers it and
one that does not, the seeds, a doctored card, the corpus, and the command line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from modelcard_parser import CODES, Severity, check, parse, parse_text
from modelcard_parser.checks import CHECKS, code_selected, validate_selectors
from modelcard_parser.cli import main

from .conftest import corpus_cards, seed_path

# A clean Trainer card (token classification): every check passes.  Lines that tests
# refer to: model-index split 22, precision 26, recall 29, f1 32, accuracy 35; body
# base-model/dataset sentence 40, "It achieves" 41, bullets 42-46 (Loss, P, R, F1, Acc);
# num_epochs 59; table rows 65-67 (epochs 1-3, steps 213/426/639).
BASE = """\
---
license: apache-2.0
base_model: distilbert-base-cased
tags:
- generated_from_trainer
datasets:
- wnut_17
metrics:
- precision
- recall
- f1
- accuracy
model-index:
- name: distilbert-wnut
  results:
  - task:
      name: Token Classification
      type: token-classification
    dataset:
      name: wnut_17
      type: wnut_17
      split: validation
    metrics:
    - name: Precision
      type: precision
      value: 0.5612345678
    - name: Recall
      type: recall
      value: 0.4412345678
    - name: F1
      type: f1
      value: 0.4940523017886972
    - name: Accuracy
      type: accuracy
      value: 0.9412345678
---

# distilbert-wnut

This model is a fine-tuned version of [distilbert-base-cased](https://huggingface.co/distilbert-base-cased) on the wnut_17 dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2712
- Precision: 0.5612
- Recall: 0.4412
- F1: 0.4941
- Accuracy: 0.9412

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
- train_batch_size: 16
- eval_batch_size: 16
- seed: 42
- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08
- lr_scheduler_type: linear
- num_epochs: 3

### Training results

| Training Loss | Epoch | Step | Validation Loss | Precision | Recall | F1     | Accuracy |
|:-------------:|:-----:|:----:|:---------------:|:---------:|:------:|:------:|:--------:|
| No log        | 1.0   | 213  | 0.2950          | 0.4801    | 0.3502 | 0.4050 | 0.9350   |
| No log        | 2.0   | 426  | 0.2775          | 0.5398    | 0.4204 | 0.4727 | 0.9398   |
| 0.1811        | 3.0   | 639  | 0.2712          | 0.5612    | 0.4412 | 0.4941 | 0.9412   |


### Framework versions

- Transformers 4.30.2
- Pytorch 2.0.1
"""

# A Keras card: 0-based Epoch column, bullets = the last row (lines 16-20, rows 35-37).
KERAS = """\
---
license: mit
tags:
- generated_from_keras_callback
model-index:
- name: tf-distilbert-imdb
  results: []
---

<!-- This model card has been generated automatically according to the information Keras had access to. You should
probably proofread and complete it, then remove this comment. -->

# tf-distilbert-imdb

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on an unknown dataset.
It achieves the following results on the evaluation set:
- Train Loss: 0.1523
- Train Accuracy: 0.9431
- Validation Loss: 0.2311
- Validation Accuracy: 0.9102
- Epoch: 2

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- optimizer: {'name': 'Adam', 'learning_rate': 2e-05, 'decay': 0.0, 'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-07, 'amsgrad': False}
- training_precision: float32

### Training results

| Train Loss | Train Accuracy | Validation Loss | Validation Accuracy | Epoch |
|:----------:|:--------------:|:---------------:|:-------------------:|:-----:|
| 0.3812     | 0.8325         | 0.2710          | 0.8901              | 0     |
| 0.2204     | 0.9120         | 0.2405          | 0.9055              | 1     |
| 0.1523     | 0.9431         | 0.2311          | 0.9102              | 2     |


### Framework versions

- Transformers 4.21.0
- TensorFlow 2.9.1
"""

# A speech card: WER in percent, CTC losses summed over utterances (bullets 11-12).
SPEECH = """\
---
license: apache-2.0
datasets:
- mozilla-foundation/common_voice_11_0
---

# wav2vec2-cv-tr

This model is a fine-tuned version of [facebook/wav2vec2-xls-r-300m](https://huggingface.co/facebook/wav2vec2-xls-r-300m) on the Common Voice 11.0 dataset.
It achieves the following results on the evaluation set:
- Loss: 112.5
- Wer: 31.2

### Training results

| Training Loss | Epoch | Step | Validation Loss | Wer   |
|:-------------:|:-----:|:----:|:---------------:|:-----:|
| 450.2         | 1.0   | 500  | 160.3           | 58.1  |
| 201.7         | 2.0   | 1000 | 120.8           | 35.6  |
| 150.1         | 3.0   | 1500 | 112.5           | 31.2  |
"""


# One table and one evaluation list per dataset (lists at lines 11-13 and 15-17, last rows 32 and 39).
MULTI = """\
---
license: apache-2.0
datasets:
- wikiann
- conll2003
---

# xlmr-ner-multi

This model is a fine-tuned version of [xlm-roberta-base](https://huggingface.co/xlm-roberta-base) on the wikiann and the conll2003 datasets.
It achieves the following results on the wikiann evaluation set:
- Loss: 0.2500
- F1: 0.8800

It achieves the following results on the conll2003 evaluation set:
- Loss: 0.0700
- F1: 0.9100

### Training hyperparameters

- learning_rate: 2e-05
- train_batch_size: 16
- num_epochs: 2

### Training results

On wikiann:

| Training Loss | Epoch | Step | Validation Loss | F1     |
|:-------------:|:-----:|:----:|:---------------:|:------:|
| 0.4000        | 1.0   | 100  | 0.3000          | 0.8500 |
| 0.2000        | 2.0   | 200  | 0.2500          | 0.8800 |

On conll2003:

| Training Loss | Epoch | Step | Validation Loss | F1     |
|:-------------:|:-----:|:----:|:---------------:|:------:|
| 0.1000        | 1.0   | 300  | 0.0800          | 0.9000 |
| 0.0500        | 2.0   | 600  | 0.0700          | 0.9100 |
"""


def findings(text: str, select: str) -> list[tuple[str, int | None, str]]:
    """(code, line, message) of the findings of ``text`` whose code starts with ``select``."""
    return [(d.code, d.line, d.message) for d in check(parse_text(text), select=[select])]


def edit(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- the clean cards --------------------------------------------------------------------
@pytest.mark.parametrize("text", [BASE, KERAS], ids=["trainer", "keras"])
def test_clean_cards_have_no_findings(text: str) -> None:
    assert check(parse_text(text)) == []


def test_speech_card_in_percent_with_large_ctc_losses_is_clean() -> None:
    assert check(parse_text(SPEECH)) == []


# --- registry ---------------------------------------------------------------------------
def test_registry_codes_are_unique_documented_and_in_range() -> None:
    codes = [c.code for c in CHECKS]
    assert len(codes) == len(set(codes))
    for c in CHECKS:
        assert "MC401" <= c.code <= "MC499"
        assert CODES[c.code].severity is c.severity
        assert CODES[c.code].rationale == c.rationale
        assert len(c.rationale) > 80


def test_severities_follow_the_issue() -> None:
    sev = {c.code: c.severity for c in CHECKS}
    assert {k for k, v in sev.items() if v is Severity.ERROR} == {
        "MC401",
        "MC411",
        "MC412",
        "MC413",
        "MC414",
    }
    assert {k for k, v in sev.items() if v is Severity.INFO} == {"MC403", "MC443", "MC451", "MC452"}


def test_select_and_ignore_follow_ruff() -> None:
    assert code_selected("MC412", None, None)
    assert code_selected("MC412", ["MC4"], None)
    assert not code_selected("MC301", ["MC4"], None)
    assert not code_selected("MC412", ["MC4"], ["MC41"])
    assert code_selected("MC412", ["MC412"], ["MC4"])  # the longer prefix wins
    assert not code_selected("MC412", ["MC41"], ["MC41"])  # ignore wins a tie
    assert code_selected("MC101", [""], None)  # ALL
    assert validate_selectors(["mc4", " MC401", "ALL", ""]) == ["MC4", "MC401", ""]
    with pytest.raises(ValueError, match="unknown code or prefix 'MC9'"):
        validate_selectors(["MC9"])
    with pytest.raises(ValueError, match="unknown code or prefix 'E501'"):
        check(parse_text(BASE), ignore=["E501"])


def test_check_can_include_parse_diagnostics() -> None:
    text = "---\nlicense: [unclosed\n---\n# m\n"
    card = parse_text(text)
    assert [d.code for d in check(card)] == ["MC452"]  # no license is read: MC120 says why
    with_parse = check(card, parse_diagnostics=True)
    assert [(d.code, d.line) for d in with_parse] == [("MC452", 1), ("MC120", 3)]
    assert [d.code for d in check(card, parse_diagnostics=True, select=["MC1"])] == ["MC120"]


# --- MC401 ------------------------------------------------------------------------------
DOCTORED = edit(
    edit(BASE, "      value: 0.4940523017886972", "      value: 0.95"), "- F1: 0.4941", "- F1: 0.90"
)


def test_mc401_doctored_card_is_flagged_with_both_lines() -> None:
    assert findings(DOCTORED, "MC401") == [
        (
            "MC401",
            32,
            "model-index says f1 = 0.95 (line 32) but the evaluation results say 0.90 (line 45): "
            "they differ by 0.05, more than the rounding of the written values",
        )
    ]
    assert [d.severity for d in check(parse_text(DOCTORED), select=["MC401"])] == [Severity.ERROR]


def test_mc401_rounding_and_percentages_are_not_contradictions() -> None:
    assert findings(BASE, "MC401") == []  # 0.4940523... is written 0.4941
    percent = edit(BASE, "      value: 0.9412345678", "      value: 94.12345678")
    assert findings(percent, "MC4") == []  # 94.12 % is 0.9412, and no MC411 on model-index


def test_mc401_model_index_on_the_test_split_is_another_evaluation() -> None:
    test_split = edit(
        edit(BASE, "      split: validation", "      split: test"),
        "      value: 0.4940523017886972",
        "      value: 0.95",
    )
    assert findings(test_split, "MC401") == []


# --- MC402 / MC403 ----------------------------------------------------------------------
def test_mc402_bullets_match_no_row_although_the_last_row_ends_training() -> None:
    text = edit(BASE, "- Accuracy: 0.9412", "- Accuracy: 0.9500")
    assert findings(text, "MC402") == [
        (
            "MC402",
            46,
            "the evaluation results match no row of the training-results table, although its last "
            "row at epoch 3.0, step 639 (line 67) ends training: accuracy 0.9500 (line 46) vs 0.9412",
        )
    ]


def test_mc402_not_when_the_table_stops_before_the_end_of_training() -> None:
    text = edit(edit(BASE, "- Accuracy: 0.9412", "- Accuracy: 0.9500"), "- num_epochs: 3", "- num_epochs: 5")
    assert findings(text, "MC402") == []


def test_mc403_best_row_reported_says_which_row() -> None:
    text = edit(
        BASE,
        "- Loss: 0.2712\n- Precision: 0.5612\n- Recall: 0.4412\n- F1: 0.4941\n- Accuracy: 0.9412",
        "- Loss: 0.2775\n- Precision: 0.5398\n- Recall: 0.4204\n- F1: 0.4727\n- Accuracy: 0.9398",
    )
    assert findings(text, "MC402") == []
    assert findings(text, "MC403") == [
        (
            "MC403",
            41,
            "the evaluation results (line 41) match the training-results row at epoch 2.0, step 426 "
            "(line 66), not the last row at epoch 3.0, step 639 (line 67): the card reports an "
            "earlier checkpoint (load_best_model_at_end or an early-stopping callback)",
        )
    ]


def test_mc403_keras_card_pushed_before_training_ended() -> None:
    text = edit(
        KERAS,
        "- Train Loss: 0.1523\n- Train Accuracy: 0.9431\n- Validation Loss: 0.2311\n"
        "- Validation Accuracy: 0.9102\n- Epoch: 2",
        "- Train Loss: 0.2204\n- Train Accuracy: 0.9120\n- Validation Loss: 0.2405\n"
        "- Validation Accuracy: 0.9055\n- Epoch: 1",
    )
    assert findings(text, "MC40") == [
        (
            "MC403",
            16,
            "the evaluation results (line 16) match the training-results row at epoch 1 (line 36), "
            "not the last row at epoch 2 (line 37): the card reports an earlier checkpoint (a card "
            "pushed before training ended, or edited)",
        )
    ]


def test_mc402_keras_bullets_are_the_last_row_by_construction() -> None:
    text = edit(KERAS, "- Validation Accuracy: 0.9102", "- Validation Accuracy: 0.9302")
    assert findings(text, "MC402") == [
        (
            "MC402",
            20,
            "the evaluation results match no row of the training-results table, although its last "
            "row at epoch 2 (line 37) ends training: validation_accuracy 0.9302 (line 20) vs 0.9102",
        )
    ]


def test_mc402_multi_dataset_cards_compare_each_list_with_its_table() -> None:
    assert check(parse_text(MULTI)) == []
    swapped = edit(MULTI, "- Loss: 0.2500\n- F1: 0.8800", "- Loss: 0.0700\n- F1: 0.9100")
    assert findings(swapped, "MC40") == [
        (
            "MC402",
            12,
            "the evaluation results on wikiann match no row of the training-results table on wikiann, "
            "although its last row at epoch 2.0, step 200 (line 32) ends training: validation_loss "
            "0.0700 (line 12) vs 0.2500; f1 0.9100 (line 13) vs 0.8800",
        )
    ]


def test_mc402_training_steps_mark_the_end_of_training() -> None:
    text = edit(
        edit(BASE, "- Accuracy: 0.9412", "- Accuracy: 0.9500"), "- num_epochs: 3", "- training_steps: 639"
    )
    assert [(c, line) for c, line, _ in findings(text, "MC402")] == [("MC402", 46)]
    early = edit(text, "- training_steps: 639", "- training_steps: 1000")
    assert findings(early, "MC402") == []


# --- MC404 ------------------------------------------------------------------------------
def test_mc404_row_f1_not_harmonic_mean() -> None:
    text = edit(BASE, "| 0.4204 | 0.4727 |", "| 0.4204 | 0.4800 |")
    assert findings(text, "MC404") == [
        (
            "MC404",
            66,
            "training-results row (line 66): f1 0.4800 is not the harmonic mean of precision 0.5398 "
            "and recall 0.4204: 2PR/(P+R) = 0.4727",
        )
    ]


def test_mc404_bullet_f1_quotes_three_lines() -> None:
    text = edit(BASE, "- F1: 0.4941", "- F1: 0.4990")
    assert findings(text, "MC404") == [
        (
            "MC404",
            45,
            "f1 0.4990 (line 45) is not the harmonic mean of precision 0.5612 (line 43) and recall "
            "0.4412 (line 44): 2PR/(P+R) = 0.4940",
        )
    ]


def test_mc404_skips_plain_scores_of_text_classifiers_and_macro_averages() -> None:
    # accuracy first: a classifier's compute_metrics, whose plain P/R/F1 may be macro averages
    text = """\
# m

It achieves the following results on the evaluation set:
- Loss: 0.4798
- Accuracy: 0.7974
- Precision: 0.8447
- Recall: 0.8049
- F1: 0.7940
- Macro F1: 0.5
- Macro Precision: 0.8
- Macro Recall: 0.8
"""
    assert findings(text, "MC404") == []
    micro = text.replace("- Macro F1: 0.5\n- Macro Precision", "- Micro F1: 0.5\n- Micro Precision").replace(
        "- Macro Recall", "- Micro Recall"
    )
    assert [(c, line) for c, line, _ in findings(micro, "MC404")] == [("MC404", 9)]


def test_mc404_model_index_alone_is_checked() -> None:
    text = BASE[: BASE.index("# distilbert-wnut")] + "# distilbert-wnut\n"
    assert findings(text, "MC404") == []
    text = edit(text, "      value: 0.4940523017886972", "      value: 0.52")
    assert findings(text, "MC404") == [
        (
            "MC404",
            32,
            "model-index: f1 0.52 (line 32) is not the harmonic mean of precision 0.5612345678 (line 26) "
            "and recall 0.4412345678 (line 29): 2PR/(P+R) = 0.4941",
        )
    ]


# --- MC411 ------------------------------------------------------------------------------
def test_mc411_rate_above_one_in_a_fraction_column() -> None:
    text = edit(BASE, "| 0.4412 | 0.4941 | 0.9412   |", "| 0.4412 | 0.4941 | 1.9412   |")
    assert findings(text, "MC411") == [
        (
            "MC411",
            67,
            "accuracy 1.9412 in the training results is above 1 although the rest of its column "
            "states it as a fraction in [0, 1] (line 67)",
        )
    ]


def test_mc411_negative_loss_negative_wer_and_above_100() -> None:
    text = edit(BASE, "| 0.2775          |", "| -0.2775         |")
    assert findings(text, "MC411") == [
        (
            "MC411",
            66,
            "validation_loss -0.2775 in the training results is negative, impossible for a loss (line 66)",
        )
    ]
    wer = edit(SPEECH, "- Wer: 31.2", "- Wer: -0.3")
    assert findings(wer, "MC411") == [
        ("MC411", 12, "wer -0.3 in the evaluation results is below 0 (line 12)")
    ]
    over = edit(BASE, "      value: 0.9412345678", "      value: 194.1")
    assert findings(over, "MC411") == [
        ("MC411", 35, "accuracy 194.1 in model-index is above 100 (%) (line 35)")
    ]


def test_mc411_percentages_stated_consistently_and_wer_above_one_are_fine() -> None:
    percent = BASE
    for old, new in [("0.9350", "93.50"), ("0.9398", "93.98"), ("| 0.9412   |", "| 94.12    |")]:
        percent = edit(percent, old, new)
    assert findings(percent, "MC411") == []
    insertions = edit(edit(SPEECH, "- Wer: 31.2", "- Wer: 1.3"), "| 31.2  |", "| 1.3   |")
    assert findings(insertions, "MC411") == []


# --- MC412 ------------------------------------------------------------------------------
def test_mc412_near_zero_f1() -> None:
    text = edit(BASE, "- F1: 0.4941", "- F1: 0.0165")
    assert findings(text, "MC412") == [
        (
            "MC412",
            45,
            "the evaluation results give f1 0.0165 (line 45), near zero (below 0.05): the model, or "
            "the metric computation, does not work",
        )
    ]


def test_mc412_percent_scale_and_per_label_scores_are_not_near_zero() -> None:
    text = BASE
    for name, old, new in [
        ("Precision", "0.5612", "56.12"),
        ("F1", "0.4941", "4.941"),
        ("Accuracy", "0.9412", "94.12"),
    ]:
        text = edit(text, f"- {name}: {old}", f"- {name}: {new}")
    # percentages: F1 4.941 % is below 5 %, 0.0165 would be near zero on either scale
    assert [(c, line) for c, line, _ in findings(text, "MC412")] == [("MC412", 45)]
    assert findings(edit(text, "- F1: 4.941", "- F1: 49.41"), "MC412") == []
    per_label = edit(BASE, "- F1: 0.4941\n", "- F1: 0.4941\n- F1 Threat: 0.0\n")
    assert findings(per_label, "MC412") == []


def test_mc412_falls_back_to_model_index_then_to_the_last_row() -> None:
    no_bullets = edit(
        BASE, "- Loss: 0.2712\n- Precision: 0.5612\n- Recall: 0.4412\n- F1: 0.4941\n- Accuracy: 0.9412\n", ""
    )
    assert findings(no_bullets, "MC412") == []
    index = edit(no_bullets, "      value: 0.4940523017886972", "      value: 0.01")
    assert findings(index, "MC412") == [
        (
            "MC412",
            32,
            "model-index (wnut_17) gives f1 0.01 (line 32), near zero (below 0.05): the model, or the "
            "metric computation, does not work",
        )
    ]
    table_only = no_bullets[no_bullets.index("# distilbert-wnut") :]
    table_only = edit(table_only, "| 0.4412 | 0.4941 | 0.9412   |", "| 0.4412 | 0.0    | 0.9412   |")
    assert findings(table_only, "MC412") == [
        (
            "MC412",
            25,
            "the training-results row gives f1 0.0 (line 25), near zero (below 0.05): the model, or the "
            "metric computation, does not work",
        )
    ]


# --- MC413 ------------------------------------------------------------------------------
def test_mc413_flat_validation_loss() -> None:
    text = edit(
        edit(BASE, "| 0.2950          |", "| 0.2712          |"), "| 0.2775          |", "| 0.2712          |"
    )
    assert findings(text, "MC413") == [
        (
            "MC413",
            65,
            "the validation loss stays at 0.2712 in all 3 rows (lines 65-67): the model is not learning",
        )
    ]


def test_mc413_neither_loss_improves() -> None:
    rows = (
        "| 2.1000        | 1.0   | 213  | 2.0000          | 0.4801    | 0.3502 | 0.4050 | 0.9350   |\n"
        "| 2.2000        | 2.0   | 426  | 2.0500          | 0.5398    | 0.4204 | 0.4727 | 0.9398   |\n"
        "| 2.3000        | 3.0   | 639  | 2.1000          | 0.5612    | 0.4412 | 0.4941 | 0.9412   |\n"
    )
    start = BASE.index("| No log        | 1.0")
    end = BASE.index("\n\n\n### Framework")
    text = BASE[:start] + rows.rstrip("\n") + BASE[end:]
    assert findings(text, "MC413") == [
        (
            "MC413",
            65,
            "neither the training loss (2.1 -> 2.3) nor the validation loss (2 -> 2.1) ever drops "
            "below its first value (lines 65-67): the model is not learning",
        )
    ]


def test_mc413_overfitting_is_not_a_failed_run() -> None:
    # validation loss rises from the first epoch, training loss falls: a pretrained model overfits
    text = edit(
        edit(BASE, "| 0.2950          |", "| 0.2500          |"), "| 0.2775          |", "| 0.2600          |"
    )
    assert findings(text, "MC413") == []


# --- MC414 ------------------------------------------------------------------------------
def test_mc414_loss_in_the_tens() -> None:
    text = edit(BASE, "- Loss: 0.2712", "- Loss: 43.2398")
    assert findings(text, "MC414") == [
        ("MC414", 42, "final validation loss 43.2398 (line 42): a loss in the tens, the run did not converge")
    ]
    assert findings(SPEECH, "MC414") == []  # CTC losses of speech cards


# --- MC415 ------------------------------------------------------------------------------
def test_mc415_no_log_in_every_row() -> None:
    text = edit(BASE, "| 0.1811        |", "| No log        |")
    assert findings(text, "MC415") == [
        (
            "MC415",
            65,
            "the training loss is 'No log' in all 3 rows (lines 65-67): training ended at step 639 "
            "before the first logging step, so the card shows no training loss at all",
        )
    ]
    assert findings(BASE, "MC415") == []  # 'No log' on the first rows only


# --- MC421 ------------------------------------------------------------------------------
def test_mc421_train_split() -> None:
    text = edit(BASE, "      split: validation", "      split: train")
    assert findings(text, "MC421") == [
        (
            "MC421",
            22,
            "model-index reports results on the 'train' split of wnut_17 (line 22): scores measured "
            "on training data overstate the model (if the evaluation set was split off the training "
            "split, the card should say so)",
        )
    ]


# --- MC431-MC433 ------------------------------------------------------------------------
def test_mc431_total_batch_size() -> None:
    text = edit(
        BASE, "- seed: 42\n", "- seed: 42\n- gradient_accumulation_steps: 2\n- total_train_batch_size: 64\n"
    )
    assert findings(text, "MC431") == [
        (
            "MC431",
            58,
            "total_train_batch_size 64 (line 58) is not train_batch_size 16 x "
            "gradient_accumulation_steps 2 x num_devices 1 = 32",
        )
    ]


@pytest.mark.parametrize(
    "lines",
    [
        "- distributed_type: multi-GPU\n- num_devices: 2\n- gradient_accumulation_steps: 2\n"
        "- total_train_batch_size: 64\n- total_eval_batch_size: 32\n",
        # IPU replicas are not written as num_devices: the total need only be a multiple
        "- distributed_type: IPU\n- gradient_accumulation_steps: 2\n- total_train_batch_size: 128\n",
    ],
    ids=["ddp", "ipu"],
)
def test_mc431_consistent_totals(lines: str) -> None:
    assert findings(edit(BASE, "- seed: 42\n", "- seed: 42\n" + lines), "MC431") == []


def test_mc432_table_stops_early_or_goes_past_num_epochs() -> None:
    assert findings(edit(BASE, "- num_epochs: 3", "- num_epochs: 10"), "MC432") == [
        (
            "MC432",
            67,
            "the training results stop at epoch 3 (line 67), more than one evaluation interval before "
            "num_epochs 10 (line 59): training stopped early (early stopping, an interrupted run) or the "
            "table is partial",
        )
    ]
    assert findings(edit(BASE, "- num_epochs: 3", "- num_epochs: 2"), "MC432") == [
        ("MC432", 67, "the training results reach epoch 3 (line 67) but num_epochs is 2 (line 59)")
    ]


def test_mc432_step_evaluations_within_one_interval_of_the_end() -> None:
    # evaluations every 200 steps of 639: the last one at epoch 2.82 is within an interval of 3
    text = BASE.replace("| 1.0   | 213  |", "| 0.94  | 200  |").replace(
        "| 2.0   | 426  |", "| 1.88  | 400  |"
    )
    text = text.replace("| 3.0   | 639  |", "| 2.82  | 600  |")
    assert findings(text, "MC43") == []


def test_mc433_steps_per_epoch_change() -> None:
    text = edit(BASE, "| 3.0   | 639  |", "| 3.0   | 700  |")
    assert findings(text, "MC433") == [
        (
            "MC433",
            67,
            "steps per epoch change in the training results: epoch 1 is step 213 (line 65, 213.0 steps "
            "per epoch), epoch 3 is step 700 (line 67, 233.3)",
        )
    ]
    # with training_steps (max_steps, streamed datasets) the epoch counts passes over a stream
    streamed = edit(text, "- num_epochs: 3", "- training_steps: 700")
    assert findings(streamed, "MC433") == []


# --- MC441-MC443 ------------------------------------------------------------------------
def test_mc441_base_model_two_ways() -> None:
    text = edit(BASE, "base_model: distilbert-base-cased", "base_model: bert-base-cased")
    assert findings(text, "MC441") == [
        (
            "MC441",
            3,
            "base_model is bert-base-cased in the front matter (line 3) but the body says fine-tuned "
            "from distilbert-base-cased (line 40)",
        )
    ]
    renamed = edit(BASE, "base_model: distilbert-base-cased", "base_model: distilbert/distilbert-base-cased")
    assert findings(renamed, "MC441") == []
    local = edit(BASE, "base_model: distilbert-base-cased", "base_model: /home/me/ckpt")
    assert findings(local, "MC441") == []


def test_mc442_body_dataset_not_in_datasets() -> None:
    text = edit(BASE, "on the wnut_17 dataset", "on the conll2003 dataset")
    assert findings(text, "MC44") == [
        ("MC442", 40, "the body says trained on conll2003 (line 40) but datasets lists wnut_17 (line 7)")
    ]


@pytest.mark.parametrize(
    ("yaml", "body"),
    [
        ("glue", "the GLUE SST2 dataset"),
        ("mozilla-foundation/common_voice_11_0", "the Common Voice 11.0 dataset"),
        ("common_voice", "the MOZILLA-FOUNDATION/COMMON_VOICE_8_0 - PA-IN dataset"),
        ("wmt16", "the wmt16 ro-en dataset"),
        ("wnut_17", "the None dataset"),
    ],
)
def test_mc442_names_match_up_to_config_and_organisation(yaml: str, body: str) -> None:
    text = edit(edit(BASE, "- wnut_17\nmetrics:", f"- {yaml}\nmetrics:"), "the wnut_17 dataset", body)
    assert findings(text, "MC44") == []


def test_mc443_body_dataset_without_datasets_list() -> None:
    text = edit(BASE, "datasets:\n- wnut_17\n", "")
    assert findings(text, "MC44") == [
        ("MC443", 38, "the body says trained on wnut_17 (line 38) but the front matter has no datasets list")
    ]
    artefact = edit(text, "on the wnut_17 dataset", "on the None dataset")
    assert findings(artefact, "MC44") == []


# --- MC451 / MC452 ----------------------------------------------------------------------
def test_mc451_placeholders() -> None:
    text = edit(
        BASE,
        "## Training procedure",
        "## Model description\n\nMore information needed\n\n## Training procedure",
    )
    assert findings(text, "MC45") == [
        ("MC451", 50, "1 section still says 'More information needed' (line 50)")
    ]


def test_mc452_missing_or_empty_license() -> None:
    assert findings(edit(BASE, "license: apache-2.0\n", ""), "MC45") == [
        ("MC452", 1, "no license in the front matter")
    ]
    assert findings(edit(BASE, "license: apache-2.0\n", "license:\n"), "MC45") == [
        ("MC452", 2, "the front matter's license is empty (line 2)")
    ]
    assert findings("# just a title\n", "MC45") == [("MC452", None, "no license in the front matter")]


# --- seeds ------------------------------------------------------------------------------
def _seed_codes(prefix: str) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in check(parse(seed_path(prefix)))]


def test_seed_004_degenerate_and_evaluated_on_train() -> None:
    found = check(parse(seed_path("004")))
    assert [(d.code, d.line) for d in found] == [
        ("MC421", 22),
        ("MC414", 46),
        ("MC412", 49),
        ("MC451", 54),
    ]
    assert found[1].message == (
        "final validation loss 43.2398 (line 46) and final training loss 24.3179 (line 96): a loss in "
        "the tens, the run did not converge"
    )
    assert found[2].message == (
        "the evaluation results give f1 0.0165 (line 49), near zero (below 0.05): the model, or the "
        "metric computation, does not work"
    )


def test_seed_002_degenerate_f1_zero() -> None:
    assert _seed_codes("002") == [("MC452", None), ("MC412", 18), ("MC415", 48)]


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_seeds_001_003_have_no_error(prefix: str) -> None:
    found = check(parse(seed_path(prefix)), parse_diagnostics=True)
    assert [d for d in found if d.severity is Severity.ERROR] == []
    assert {d.code for d in found} == {"MC451"}


# --- corpus -----------------------------------------------------------------------------
@pytest.mark.corpus
def test_corpus_runs_without_exception(corpus_dir: Path) -> None:
    counts: Counter[str] = Counter()
    for path in corpus_cards():
        for d in check(parse(path)):
            assert d.code in CODES
            counts[d.code] += 1
    assert counts["MC412"] >= 1  # the corpus holds failed runs too


# --- command line -----------------------------------------------------------------------
@pytest.fixture
def cards(tmp_path: Path) -> Path:
    """A folder with a clean card, a card with an info finding, and a doctored card."""
    (tmp_path / "clean.md").write_text(BASE, encoding="utf-8")
    (tmp_path / "info.md").write_text(edit(BASE, "license: apache-2.0\n", ""), encoding="utf-8")
    (tmp_path / "doctored.md").write_text(DOCTORED, encoding="utf-8")
    return tmp_path


def test_cli_exit_0_when_nothing_reaches_fail_on(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = str(cards / "clean.md")
    assert main(["check", clean]) == 0
    assert capsys.readouterr().out == "No findings in 1 card.\n"
    info = str(cards / "info.md")
    assert main(["check", info]) == 0
    assert capsys.readouterr().out == f"{info}:1: MC452 [info] no license in the front matter\n" + (
        "Found 1 finding (1 info) in 1 of 1 card.\n"
    )
    assert main(["check", "--fail-on", "info", info]) == 1


def test_cli_text_output_on_a_folder(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(cards)]) == 1
    out = capsys.readouterr().out.splitlines()
    doctored = str(cards / "doctored.md")
    assert out == [
        f"{doctored}:32: MC401 [error] model-index says f1 = 0.95 (line 32) but the evaluation results "
        "say 0.90 (line 45): they differ by 0.05, more than the rounding of the written values",
        f"{doctored}:45: MC402 [warning] the evaluation results match no row of the training-results "
        "table, although its last row at epoch 3.0, step 639 (line 67) ends training: f1 0.90 (line 45) "
        "vs 0.4941",
        f"{doctored}:45: MC404 [warning] f1 0.90 (line 45) is not the harmonic mean of precision 0.5612 "
        "(line 43) and recall 0.4412 (line 44): 2PR/(P+R) = 0.4940",
        f"{cards / 'info.md'}:1: MC452 [info] no license in the front matter",
        "Found 4 findings (1 error, 2 warnings, 1 info) in 2 of 3 cards.",
    ]


def test_cli_select_and_ignore(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doctored = str(cards / "doctored.md")
    assert main(["check", "--ignore", "MC401", doctored]) == 0  # only warnings left
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]] == ["MC402", "MC404"]
    assert main(["check", "--select", "MC4", "--ignore", "MC40,MC41", "--select", "MC404", doctored]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]] == ["MC404"]
    assert main(["check", "--select", "MC9", doctored]) == 2
    assert "unknown code or prefix 'MC9'" in capsys.readouterr().err


def test_cli_reports_parse_diagnostics_selectable_by_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "broken.md"
    card.write_text("---\nlicense: [unclosed\n---\n# m\n", encoding="utf-8")
    assert main(["check", str(card)]) == 1
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]] == ["MC452", "MC120"]
    assert main(["check", "--select", "MC4", str(card)]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[:-1]] == ["MC452"]
    plain = tmp_path / "plain.md"
    plain.write_text("# m\n", encoding="utf-8")
    assert main(["check", "--format", "github", str(card), str(plain)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"::notice file={card},line=1,title=MC452 missing license::MC452 no license in the front matter"
    )
    # the parser's own message is its business: only the annotation's shape is checked here
    assert out[1].startswith(f"::error file={card},line=3,col=1,title=MC120 YAML syntax error::MC120 ")
    assert out[2:] == [
        f"::notice file={plain},title=MC452 missing license::MC452 no license in the front matter",
        "Found 3 findings (1 error, 2 info) in 2 of 2 cards.",
    ]


def test_cli_json_format(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doctored = str(cards / "doctored.md")
    assert main(["check", "--format", "json", "--select", "MC401", doctored]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"] == {
        "cards": 1,
        "cards_with_findings": 1,
        "findings": 1,
        "error": 1,
        "warning": 0,
        "info": 0,
    }
    assert doc["findings"] == [
        {
            "path": doctored,
            "line": 32,
            "column": None,
            "code": "MC401",
            "severity": "error",
            "title": "model-index contradicts the evaluation results",
            "message": "model-index says f1 = 0.95 (line 32) but the evaluation results say 0.90 (line 45): "
            "they differ by 0.05, more than the rounding of the written values",
        }
    ]


def test_cli_github_format(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doctored = str(cards / "doctored.md")
    info = str(cards / "info.md")
    assert main(["check", "--format", "github", "--select", "MC401,MC452", doctored, info]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"::error file={doctored},line=32,title=MC401 model-index contradicts the evaluation results::"
        "MC401 model-index says f1 = 0.95 (line 32) but the evaluation results say 0.90 (line 45): they "
        "differ by 0.05, more than the rounding of the written values"
    )
    assert (
        out[1]
        == f"::notice file={info},line=1,title=MC452 missing license::MC452 no license in the front matter"
    )
    assert out[2] == "Found 2 findings (1 error, 1 info) in 2 of 2 cards."


def test_cli_statistics(cards: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--statistics", str(cards)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "     1  MC401  error    model-index contradicts the evaluation results",
        "     1  MC402  warning  evaluation results match no training-results row",
        "     1  MC404  warning  F1 is not the harmonic mean of precision and recall",
        "     1  MC452  info     missing license",
        "Found 4 findings (1 error, 2 warnings, 1 info) in 2 of 3 cards.",
    ]


def test_cli_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--explain", "mc412"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("MC412 (error): degenerate run: final F1 or accuracy near zero\n\n")
    assert CODES["MC412"].rationale in " ".join(out.split())  # wrapped at 88 columns
    assert main(["check", "--explain", "MC120"]) == 0  # parse codes too
    assert capsys.readouterr().out.startswith("MC120 (error): YAML syntax error\n")
    assert main(["check", "--explain", "all"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert "MC401  error    model-index contradicts the evaluation results" in listing
    assert len(listing) == len(CODES)
    assert main(["check", "--explain", "MC999"]) == 2
    assert "unknown code 'MC999'" in capsys.readouterr().err


def test_cli_usage_and_io_errors(cards: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "give at least one CARD_OR_DIR" in capsys.readouterr().err
    missing = str(tmp_path / "missing.md")
    assert main(["check", missing, str(cards / "clean.md")]) == 2  # the other card is still checked
    captured = capsys.readouterr()
    assert f"cannot read {missing!r}" in captured.err
    assert captured.out == "No findings in 1 card.\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert "no card found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml", str(cards)])
    assert exc.value.code == 2
