"""``python -m modelcard_parser.tools.coverage`` over a tiny corpus built in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from modelcard_parser.tools.coverage import FIELDS, format_table, has_hyperparameters_section, main, run

TRAINER = """\
---
license: apache-2.0
base_model: distilbert-base-uncased
tags:
- generated_from_trainer
datasets:
- imdb
model-index:
- name: tiny-trainer
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      name: imdb
      type: imdb
    metrics:
    - name: Accuracy
      type: accuracy
      value: 0.93
---

# tiny-trainer

This model is a fine-tuned version of [distilbert-base-uncased](https://huggingface.co/distilbert-base-uncased) on the imdb dataset.
It achieves the following results on the evaluation set:
- Loss: 0.2
- Accuracy: 0.93

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
- train_batch_size: 16
- eval_batch_size: 16
- seed: 42
- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08
- lr_scheduler_type: linear
- num_epochs: 2

### Training results

| Training Loss | Epoch | Step | Validation Loss | Accuracy |
|:-------------:|:-----:|:----:|:---------------:|:--------:|
| No log        | 1.0   | 10   | 0.3             | 0.9      |
| 0.25          | 2.0   | 20   | 0.2             | 0.93     |


### Framework versions

- Transformers 4.30.0
- Pytorch 2.0.1
"""

KERAS = """\
---
tags:
- generated_from_keras_callback
model-index:
- name: tiny-keras
  results: []
---

# tiny-keras

This model is a fine-tuned version of [bert-base-cased](https://huggingface.co/bert-base-cased) on an unknown dataset.
It achieves the following results on the evaluation set:
- Train Loss: 0.5
- Validation Loss: 0.6
- Epoch: 1

### Training hyperparameters

The following hyperparameters were used during training:
- optimizer: {'name': 'Adam', 'learning_rate': np.float32(1e-04), 'decay': 0.0, 'beta_1': 0.9, 'beta_2': 0.999, 'epsilon': 1e-07, 'amsgrad': False}
- training_precision: float32

### Training results

| Train Loss | Validation Loss | Epoch |
|:----------:|:---------------:|:-----:|
| 0.9        | 0.8             | 0     |
| 0.5        | 0.6             | 1     |


### Framework versions

- Transformers 4.40.0
- TensorFlow 2.15.0
"""

# A Trainer card whose hyperparameters section states nothing readable: flagged.
EMPTY_HP = """\
---
tags:
- generated_from_trainer
---

# tiny-empty

### Training hyperparameters

See train.py.

### Framework versions

- Transformers 4.30.0
- Pytorch 2.0.1
"""

OTHER = "# Just a README\n\nSome words.\n"


def _corpus(root: Path, cards: dict[str, tuple[str, str]]) -> Path:
    (root / "cards").mkdir(parents=True)
    lines = ["file\trepo\tpath\tcommit\tstyle\ttask\tnotes"]
    for name, (style, text) in cards.items():
        (root / "cards" / name).write_text(text, encoding="utf-8")
        lines.append(f"cards/{name}\towner/repo\tREADME.md\tabc\t{style}\ttask\tnote with 'quotes\"")
    (root / "MANIFEST.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _corpus(
        tmp_path / "corpus",
        {
            "0001.md": ("trainer", TRAINER),
            "0002.md": ("keras", KERAS),
            "0003.md": ("other", OTHER),
            "0004.md": ("trainer", TRAINER.replace("tiny-trainer", "tiny-trainer-2")),
        },
    )


def test_counts_per_style_and_total(corpus: Path) -> None:
    report = run(corpus)
    assert list(report.rows) == ["trainer", "keras", "other"]  # most cards first
    trainer, keras, other = report.rows["trainer"], report.rows["keras"], report.rows["other"]
    assert (trainer.cards, keras.cards, other.cards, report.total.cards) == (2, 1, 1, 4)
    assert trainer.counts == dict.fromkeys(FIELDS, 2)
    assert trainer.rows == 4
    assert keras.counts == {
        "hp": 1,
        "lr": 1,
        "batch": 0,
        "optim": 1,
        "sched": 0,
        "ep/steps": 0,
        "results": 1,
        "eval-text": 1,
        "model-index": 0,
        "frameworks": 1,
        "base_model": 1,
        "license": 0,
        "datasets": 0,
    }
    assert other.counts == dict.fromkeys(FIELDS, 0)
    assert report.total.counts["lr"] == 3
    assert report.total.rows == 6
    assert report.parsed_style == {"trainer": {"trainer": 2}, "keras": {"keras": 1}}
    assert report.style_mismatches == []
    assert report.empty_hyperparameters == []
    assert report.exceptions == []


def test_table_text(corpus: Path) -> None:
    text = format_table(run(corpus))
    lines = text.splitlines()
    assert lines[0].split() == ["style", "cards", *FIELDS, "rows"]
    assert lines[2].split() == ["trainer", "2", *["2"] * len(FIELDS), "4"]
    total = next(line for line in lines if line.startswith("TOTAL"))
    assert total.split()[:4] == ["TOTAL", "4", "3", "3"]
    assert "MANIFEST trainer cards parsed: 2 as trainer" in text
    assert "but empty hyperparameters: none" in text
    assert "exceptions: none" in text


def test_flags_generated_card_with_empty_hyperparameters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = _corpus(tmp_path / "c", {"0001.md": ("trainer", TRAINER), "0002.md": ("trainer", EMPTY_HP)})
    report = run(corpus)
    assert report.empty_hyperparameters == ["cards/0002.md"]
    assert main([str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "1 trainer/keras card(s) with a hyperparameters section yield empty hyperparameters:" in out
    assert "  cards/0002.md" in out


def test_missing_card_is_reported_not_raised(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", {"0001.md": ("keras", KERAS)})
    with open(corpus / "MANIFEST.tsv", "a", encoding="utf-8") as fh:
        fh.write("cards/9999.md\towner/repo\tREADME.md\tabc\ttrainer\ttask\tgone\n")
    report = run(corpus)
    assert [name for name, _ in report.exceptions] == ["cards/9999.md"]
    assert report.exceptions[0][1].startswith("FileNotFoundError")
    assert report.rows["trainer"].cards == 1


def test_json_output_and_exit_status(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fields"] == list(FIELDS)
    assert data["total"]["cards"] == 4
    assert data["total"]["result_rows"] == 6
    assert [r["style"] for r in data["rows"]] == ["trainer", "keras", "other"]
    assert data["empty_hyperparameters"] == []
    assert data["exceptions"] == []


def test_unreadable_corpus_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "MANIFEST.tsv" in capsys.readouterr().err
    (tmp_path / "MANIFEST.tsv").write_text("name\tkind\nx\ty\n", encoding="utf-8")
    assert main([str(tmp_path)]) == 2


def test_runs_as_a_module(corpus: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "modelcard_parser.tools.coverage", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("style")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("### Training hyperparameters\n", True),
        ("## Hyperparameters\n", True),
        ("Training Hyperparameters\n", True),  # prose rewrites: a plain line
        ("**Hyperparameters**:\n", True),
        ("The following hyperparameters were used during training:\n", True),
        ("We tuned the hyperparameters of the model by hand.\n", False),
        ("# Model card\n", False),
    ],
)
def test_hyperparameters_section_detection(text: str, found: bool) -> None:
    assert has_hyperparameters_section(text) is found
