"""``compare`` / ``modelcard compare``: runs side by side, differing cells marked."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from modelcard_parser import ModelCard, parse
from modelcard_parser.cli import main
from modelcard_parser.compare import Comparison, compare, distinct, final_metrics
from modelcard_parser.models import EpochResult
from tests.conftest import EXAMPLES, seed_path

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"


def _runs() -> list[ModelCard]:
    """The example and two variants: b changes lr and seed, c changes lr."""
    a = parse(EXAMPLE)
    b = a.model_copy(deep=True)
    b.model_name = "run-b"
    b.hyperparameters.learning_rate = 5e-05
    b.hyperparameters.seed = 7
    c = a.model_copy(deep=True)
    c.model_name = "run-c"
    c.hyperparameters.learning_rate = 5e-05
    return [a, b, c]


def _row(table: Comparison, field: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    for r in table.rows:
        if r.field == field:
            return r.text, r.marked
    raise AssertionError(field)


# --- the table ------------------------------------------------------------------------------
def test_two_seed_runs() -> None:
    table = compare([seed_path("001"), seed_path("003")])
    assert table.labels == ("bert-finetuned-ner", "albert-base-v2-finetuned-ner")
    assert [(r.field, r.text, r.marked) for r in table.rows] == [
        ("style", ("trainer", "trainer"), (False, False)),
        ("base model", ("bert-base-cased", "albert-base-v2"), (True, True)),
        ("datasets", ("conll2003", "conll2003"), (False, False)),
        ("learning rate", ("2e-05", "2e-05"), (False, False)),
        ("train batch size", ("8", "64"), (True, True)),
        ("epochs", ("3", "5"), (True, True)),
        ("optimizer", ("adam betas=(0.9,0.999) eps=1e-08",) * 2, (False, False)),
        ("lr scheduler", ("linear", "linear"), (False, False)),
        ("seed", ("42", "42"), (False, False)),
        ("transformers", ("4.12.3", "4.16.2"), (True, True)),
        ("final loss", ("0.0603", "0.0626"), (True, True)),
        ("final precision", ("0.9408", "0.9252"), (True, True)),
        ("final recall", ("0.952", "0.933"), (True, True)),
        ("final f1", ("0.9464", "0.9291"), (True, True)),
        ("final accuracy", ("0.9865", "0.9848"), (True, True)),
        ("best epoch", ("3 (loss 0.0603)", "4 (loss 0.0585)"), (True, True)),
    ]
    assert table.rows[4].values == (8, 64)
    assert table.rows[5].values == (3.0, 5.0)


def test_the_odd_one_out_is_marked() -> None:
    table = compare(_runs())
    assert _row(table, "learning rate") == (("2e-05", "5e-05", "5e-05"), (True, False, False))
    assert _row(table, "seed") == (("42", "7", "42"), (False, True, False))
    assert _row(table, "final f1") == (("0.9319",) * 3, (False,) * 3)
    assert [r.field for r in table.only_differences().rows] == ["learning rate", "seed"]


def test_all_different_marks_every_cell() -> None:
    runs = _runs()
    runs[2].hyperparameters.learning_rate = 1e-04
    assert _row(compare(runs), "learning rate") == (("2e-05", "5e-05", "0.0001"), (True, True, True))


def test_keras_and_trainer_runs() -> None:
    table = compare([seed_path("000"), seed_path("001")])
    assert _row(table, "style") == (("keras", "trainer"), (True, True))
    assert _row(table, "weight decay") == (("0.01", "-"), (True, True))
    assert _row(table, "final loss (wikiann)") == (("0.3073", "-"), (True, True))
    assert _row(table, "best epoch") == (
        (
            "conll-endava mixed, second version: 3 (loss 0.031); NERPERDemo: 2 (loss 0.0002); "
            "wikiann: 1 (loss 0.2869)",
            "3 (loss 0.0603)",
        ),
        (True, True),
    )
    assert table.rows[-1].field == "best epoch"


def test_final_metrics() -> None:
    # The evaluation list first, then model-index values it lacks; epoch entries left out.
    assert final_metrics(parse(EXAMPLE)) == {"loss": 0.2471, "accuracy": 0.9312, "f1": 0.9319}
    assert final_metrics(parse(seed_path("000")))["training loss (NERPERDemo)"] == 0.0005
    # No evaluation stated: the last training-results row.
    card = ModelCard(
        training_results=[
            EpochResult(epoch=1.0, validation_loss=0.5, metrics={"f1": 0.5}),
            EpochResult(epoch=2.0, validation_loss=0.4, metrics={"f1": 0.6, "gen_len": None}),
        ]
    )
    assert final_metrics(card) == {"loss": 0.4, "f1": 0.6}


def test_labels() -> None:
    assert compare([EXAMPLE, EXAMPLE]).labels == (
        "distilbert-finetuned-imdb",
        "distilbert-finetuned-imdb (2)",
    )
    assert compare([EXAMPLE], labels=["mine"]).labels == ("mine",)
    assert compare([ModelCard(), ModelCard(path="/x/m1/README.md")]).labels == ("run 1", "m1")
    assert distinct(["a", "a", "a", "b"]) == ["a", "a (2)", "a (3)", "b"]
    with pytest.raises(ValueError, match="2 labels for 1 cards"):
        compare([EXAMPLE], labels=["a", "b"])


# --- formats --------------------------------------------------------------------------------
def test_text_format() -> None:
    text = compare(_runs()).only_differences().to_text()
    assert text == (
        "              | distilbert-finetuned-imdb | run-b | run-c\n"
        "--------------+---------------------------+-------+------\n"
        "learning rate | 2e-05 *                   | 5e-05 | 5e-05\n"
        "seed          | 42                        | 7 *   | 42\n"
        "\n"
        "* differs from the other runs\n"
    )


def test_markdown_format() -> None:
    text = compare(_runs()).only_differences().to_markdown()
    assert text == (
        "| | distilbert-finetuned-imdb | run-b | run-c |\n"
        "|---|---|---|---|\n"
        "| learning rate | **2e-05** | 5e-05 | 5e-05 |\n"
        "| seed | 42 | **7** | 42 |\n"
        "\n"
        "Bold: differs from the other runs.\n"
    )


def test_csv_format() -> None:
    rows = list(csv.reader(io.StringIO(compare(_runs()).to_csv())))
    assert rows[0] == ["field", "distilbert-finetuned-imdb", "run-b", "run-c", "differs"]
    assert ["learning rate", "2e-05", "5e-05", "5e-05", "distilbert-finetuned-imdb"] in rows
    assert ["epochs", "3.0", "3.0", "3.0", ""] in rows
    assert ["final accuracy", "0.9312", "0.9312", "0.9312", ""] in rows


def test_json_format() -> None:
    data = compare(_runs()).to_dict()
    assert data["runs"][0] == {"label": "distilbert-finetuned-imdb", "path": str(EXAMPLE)}
    assert data["runs"][1] == {"label": "run-b", "path": str(EXAMPLE)}
    seed = next(r for r in data["rows"] if r["field"] == "seed")
    assert seed == {
        "field": "seed",
        "values": [42, 7, 42],
        "text": ["42", "7", "42"],
        "marked": [False, True, False],
        "differs": True,
    }
    json.dumps(data)  # JSON-ready


def test_long_cells_are_cut_in_the_text_table() -> None:
    card = ModelCard(model_name="x", datasets=[f"dataset-{i}" for i in range(10)])
    text = compare([card, ModelCard(model_name="y")]).to_text(max_width=20)
    assert "datasets | dataset-0, dataset-… * | - *\n" in text


# --- command line -------------------------------------------------------------------------
def test_cli_formats(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["compare", str(EXAMPLE), str(EXAMPLE)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        "                       | distilbert-finetuned-imdb               | distilbert-finetuned-imdb (2)\n"
    )
    assert "*" not in text  # nothing differs
    assert main([*args, "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith(
        "| | distilbert-finetuned-imdb | distilbert-finetuned-imdb (2) |\n"
    )
    assert main([*args, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "style,trainer,trainer,"
    assert main([*args, "--format", "json", "--diff"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == []


def test_cli_seeds_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(seed_path("001")), str(seed_path("003")), "--diff"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "base model       | bert-base-cased *  | albert-base-v2 *"
    assert len(lines) == 2 + 10 + 2


def test_cli_missing_card(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(EXAMPLE), "missing.md"]) == 2
    assert "cannot read 'missing.md'" in capsys.readouterr().err


def test_readme_table_is_real_output() -> None:
    """The table in the README's "Look and compare" section is this command's output."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = compare([seed_path("001"), seed_path("003")]).to_markdown()
    assert table in readme
