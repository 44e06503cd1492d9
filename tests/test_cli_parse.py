"""``modelcard parse`` and ``modelcard schema``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelcard_parser import parse
from modelcard_parser.cli import main
from modelcard_parser.schema import json_schema
from tests.conftest import EXAMPLES

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"


def test_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == str(EXAMPLE)
    assert out[1:7] == [
        "  name:        distilbert-finetuned-imdb",
        "  style:       trainer",
        "  base model:  distilbert-base-uncased",
        "  license:     apache-2.0",
        "  datasets:    imdb",
        "  found:       11 hyperparameters, 3 training-result rows, 2 evaluation results, 4 framework versions",
    ]
    assert "  eval (model-index: imdb): accuracy=0.9312, f1=0.9319" in out


def test_json_is_the_model_dump(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", str(EXAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out) == parse(EXAMPLE).model_dump(mode="json")


def test_json_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", "--with-sources", str(EXAMPLE)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["training_results"][2]["source_line"] == 78
    assert data["sources"]["license"] == 2


def test_several_cards_give_json_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "README.md"
    other.write_text("# other\n", encoding="utf-8")
    assert main(["parse", "--json", str(EXAMPLE), str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["model_name"] for line in lines] == ["distilbert-finetuned-imdb", "other"]


def test_diagnostics_are_printed_with_path_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    card = tmp_path / "bad.md"
    card.write_text("---\nlicense: mit\nbad: : x\n---\n# T\n", encoding="utf-8")
    assert main(["parse", str(card)]) == 0
    out = capsys.readouterr().out
    assert f"  {card}:3:6: MC120 [error] YAML syntax error: mapping values are not allowed" in out
    assert main(["parse", "--strict", str(card)]) == 1


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    assert main(["parse", str(missing)]) == 2
    assert capsys.readouterr().err == f"modelcard: cannot read {str(missing)!r}: No such file or directory\n"


def test_help_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["parse", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--with-sources" in out
    assert "path:line: CODE message" in out


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: modelcard" in capsys.readouterr().err


def test_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json.loads(json.dumps(json_schema()))
    assert schema["properties"]["style"]["enum"] == ["trainer", "keras", "other"]
    assert "source_line" not in json.dumps(schema)
