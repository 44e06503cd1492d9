"""``render``: a normalised card back as a Trainer-style README.md, and the round trip.

The round trip is the contract: ``parse_text(render(card))`` gives ``trainer_view(card)``
(the card with the documented exceptions applied: style trainer, Keras tag, Keras
weight decay in optimizer_args, Keras schedule config, fp32 precision), for every seed
and every trainer/keras card of ../shared/corpus.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from modelcard_parser import ModelCard, parse, parse_text
from modelcard_parser.cli import main
from modelcard_parser.models import EpochResult, EvalMetrics, Hyperparameters, Optimizer
from modelcard_parser.render import render, trainer_view
from tests.conftest import CORPUS, EXAMPLES, SEEDS, seed_path

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"


def _contract(card: ModelCard) -> dict[str, Any]:
    """The JSON contract without diagnostics (they describe the file, not the values)."""
    data = card.model_dump(mode="json")
    data.pop("diagnostics")
    return data


def _round_trip_cards() -> list[Path]:
    paths = sorted(SEEDS.glob("*.md")) if SEEDS.is_dir() else []
    manifest = CORPUS / "MANIFEST.tsv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as fh:
            rows = csv.DictReader(fh, delimiter="\t")
            paths.extend(CORPUS / r["file"] for r in rows if r["style"] in ("trainer", "keras"))
    return paths


# --- layout -----------------------------------------------------------------------------
def test_example_renders_as_transformers_wrote_it() -> None:
    """The shipped 4.46-style card comes back byte for byte, but for three normalised values."""
    original = EXAMPLE.read_text(encoding="utf-8")
    expected = (
        original.replace(
            "Use OptimizerNames.ADAMW_TORCH with", "Use adamw_torch with"
        )  # the enum name is normalised
        .replace("- num_epochs: 3\n", "- num_epochs: 3.0\n")  # a float, as TrainingArguments holds it
        .replace(
            "| 0.1642        | 2.0   | 1564 | 0.2205          | 0.9282   | 0.9290 |",
            "| 0.1642        | 2.0   | 1564 | 0.2205          | 0.9282   | 0.929  |",
        )  # values at full precision: 0.9290 was read as 0.929
    )
    assert expected != original
    assert render(parse(EXAMPLE)) == expected


def test_keras_card_in_trainer_layout() -> None:
    card = parse(seed_path("000"))
    text = render(card)
    assert text.startswith(
        "---\nlibrary_name: transformers\nlanguage:\n- en\nlicense: apache-2.0\ntags:\n"
        "- generated_from_trainer\ndatasets:\n- wikiann\n"
    )
    assert "model-index:\n- name: bert-finetuned-ner-per-v2\n  results: []\n---\n" in text
    assert "according to the information the Trainer had access to. You\nshould probably" in text
    assert (
        "- optimizer: Use adamweightdecay with betas=(0.9,0.999) and epsilon=1e-08 and "
        "optimizer_args=decay=0.0,amsgrad=False,weight_decay=0.01\n"
        "- lr_scheduler_type: polynomial_decay\n"
        "- mixed_precision_training: mixed_float16\n"
    ) in text
    # One table per dataset, each after its caption; epochs are completed epochs (1, 2, 3).
    assert (
        "On NERPERDemo:\n\n"
        "| Training Loss | Epoch | Validation Loss |\n"
        "|:-------------:|:-----:|:---------------:|\n"
        "| 0.0202        | 1.0   | 0.0005          |\n"
        "| 0.0009        | 2.0   | 0.0002          |\n"
        "| 0.0005        | 3.0   | 0.0002          |\n\n\n"
    ) in text
    assert (
        "It achieves the following results on the wikiann evaluation set:\n"
        "- Training Loss: 0.1217\n- Loss: 0.3073\n- Epoch: 3.0\n"
    ) in text
    assert text.endswith(
        "### Framework versions\n\n- Transformers 4.25.1\n- TensorFlow 2.9.2\n- Datasets 2.8.0\n- Tokenizers 0.13.2\n"
    )
    back = parse_text(text)
    assert back.style == "trainer"
    assert back.tags == ["generated_from_trainer"]
    assert back.hyperparameters.optimizer is not None
    assert back.hyperparameters.optimizer.weight_decay is None
    assert back.hyperparameters.optimizer.args == {"decay": 0.0, "amsgrad": False, "weight_decay": 0.01}
    assert back.training_datasets == ["conll-endava mixed, second version", "NERPERDemo", "wikiann"]
    assert [r.epoch for r in back.training_results[:3]] == [1.0, 2.0, 3.0]


def test_minimal_card() -> None:
    text = render(ModelCard(model_name="tiny"))
    assert text == (
        "---\nmodel-index:\n- name: tiny\n  results: []\n---\n\n"
        "<!-- This model card has been generated automatically according to the information the Trainer "
        "had access to. You\nshould probably proofread and complete it, then remove this comment. -->\n\n"
        "# tiny\n\nThis model was trained from scratch on an unknown dataset.\n\n"
        "## Model description\n\nMore information needed\n\n"
        "## Intended uses & limitations\n\nMore information needed\n\n"
        "## Training and evaluation data\n\nMore information needed\n\n"
        "## Training procedure\n\n### Training hyperparameters\n\n"
        "### Training results\n\n\n\n### Framework versions\n"
    )
    back = parse_text(text)
    assert (back.model_name, back.style, back.base_model, back.training_results) == (
        "tiny",
        "trainer",
        None,
        [],
    )


def test_values_at_full_precision_and_nulls() -> None:
    card = ModelCard(
        model_name="m",
        base_model="org/base",
        hyperparameters=Hyperparameters(
            learning_rate=3.2e-05,
            optimizer=Optimizer(name="adafactor", args={"relative_step": False, "scale_parameter": "auto"}),
        ),
        training_results=[
            EpochResult(
                epoch=0.3333, step=10, training_loss=None, validation_loss=1.23456789, metrics={"f1": None}
            ),
            EpochResult(
                epoch=1.0, step=30, training_loss=0.5, validation_loss=0.9, metrics={"f1": 0.123456789}
            ),
        ],
        eval_results=[EvalMetrics(source="text", metrics={"validation_loss": 0.9, "f1": 0.123456789})],
    )
    text = render(card)
    assert "- learning_rate: 3.2e-05\n" in text  # not _maybe_round's 0.0000
    assert "- optimizer: Use adafactor and the args are:\nrelative_step=False,scale_parameter=auto\n" in text
    assert "| No log        | 0.3333 | 10   | 1.23456789      | -           |" in text
    assert "- F1: 0.123456789\n" in text
    back = parse_text(text)
    assert _contract(back) == _contract(trainer_view(card))


def test_values_with_newlines() -> None:
    """A classification report (blank lines) is written as is, like transformers; a
    value that goes straight on gets the list item's indentation."""
    report = (  # sklearn's classification_report, as in corpus card 0104
        "precision    recall  f1-score   support\n\n"
        "           0       0.97      0.97      0.97      1467\n"
        "           1       0.97      0.97      0.97      1466\n\n"
        "    accuracy                           0.97      2933\n"
        "   macro avg       0.97      0.97      0.97      2933\n"
        "weighted avg       0.97      0.97      0.97      2933"
    )
    card = ModelCard(
        model_name="m",
        hyperparameters=Hyperparameters(extra={"steps": "[('a',\n   b),\n c]"}),
        training_results=[EpochResult(epoch=1.0, step=5, validation_loss=0.1, extra={"C Report": report})],
        eval_results=[
            EvalMetrics(source="text", metrics={"validation_loss": 0.1}, extra={"c_report": report})
        ],
    )
    text = render(card)
    assert "- steps: [('a',\n     b),\n   c]\n" in text
    assert f"- C Report: {report}\n" in text
    assert f"| No log        | 1.0   | 5    | 0.1             | {report} |\n" in text
    assert _contract(parse_text(text)) == _contract(trainer_view(card))


def test_card_rebuilt_from_json_round_trips() -> None:
    """No Python-only details (names as written, metric types): the canonical keys are used."""
    card = ModelCard.model_validate(parse(EXAMPLE).model_dump(mode="json"))
    text = render(card)
    assert "    - name: Accuracy\n      type: accuracy\n      value: 0.93124\n" in text
    assert _contract(parse_text(text)) == _contract(trainer_view(card))


def test_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown style 'keras': expected one of trainer"):
        render(ModelCard(), style="keras")


def test_trainer_view_applies_only_the_documented_exceptions() -> None:
    card = parse(seed_path("000"))
    view = trainer_view(card)
    a, b = card.model_dump(mode="json"), view.model_dump(mode="json")
    changed = {k for k in a if a[k] != b[k]}
    assert changed == {"style", "tags", "hyperparameters"}
    assert card.style == "keras"  # the card itself is untouched
    assert view.hyperparameters.lr_scheduler is not None
    assert view.hyperparameters.lr_scheduler.args == {}
    assert view.hyperparameters.lr_scheduler.type == "polynomial_decay"


# --- round trip ---------------------------------------------------------------------------
def test_example_round_trips() -> None:
    card = parse(EXAMPLE)
    assert _contract(parse_text(render(card))) == _contract(trainer_view(card))
    assert _contract(trainer_view(card)) == _contract(card)  # a Trainer card has no exception


@pytest.mark.corpus
@pytest.mark.parametrize("path", _round_trip_cards(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_round_trip(path: Path) -> None:
    card = parse(path)
    back = parse_text(render(card))
    expected, actual = _contract(trainer_view(card)), _contract(back)
    for field in (
        "hyperparameters",
        "training_results",
        "eval_results",
        "framework_versions",
        "base_model",
        "base_models",
        "model_name",
        "license",
        "language",
        "datasets",
        "tags",
        "metrics",
        "library_name",
        "pipeline_tag",
        "extra",
        "style",
    ):
        assert actual[field] == expected[field], f"{path.name}: {field}"
    assert actual == expected
    assert render(back) == render(trainer_view(card))  # and rendering is a fixed point


@pytest.mark.corpus
def test_round_trip_covers_the_corpus() -> None:
    if not (CORPUS / "MANIFEST.tsv").is_file() or not SEEDS.is_dir():
        pytest.skip("../shared is not present")
    assert len(_round_trip_cards()) >= 100


# --- command line -------------------------------------------------------------------------
def test_cli_to_stdout_and_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["render", str(EXAMPLE), "--style", "trainer"]) == 0
    assert capsys.readouterr().out == render(parse(EXAMPLE))
    out = tmp_path / "README.md"
    assert main(["render", str(EXAMPLE), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_bytes() == render(parse(EXAMPLE)).encode("utf-8")


def test_cli_model_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "NOTES.md").write_text("# notes\n", encoding="utf-8")
    assert main(["render", str(tmp_path)]) == 0
    assert capsys.readouterr().out == render(parse(EXAMPLE))


def test_cli_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["render", str(tmp_path / "missing.md")]) == 2
    assert "modelcard: cannot read" in capsys.readouterr().err
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path / "no" / "dir" / "README.md")]) == 2
    assert "modelcard: cannot write" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["render", str(EXAMPLE), "--style", "keras"])
