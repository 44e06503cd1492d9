"""``plot`` / ``modelcard plot``: training curves into an image (extra [plot])."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from modelcard_parser import ModelCard, parse
from modelcard_parser.cli import main
from modelcard_parser.models import EpochResult
from modelcard_parser.plot import curves, plot, wants_log
from tests.conftest import EXAMPLES, seed_path

pytest.importorskip("matplotlib")  # plot() imports it when called

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# --- the data drawn ------------------------------------------------------------------------
def test_curves_of_a_trainer_card() -> None:
    axis, quantities, series = curves([EXAMPLE])
    assert axis == "epoch"
    assert quantities == ["training_loss", "validation_loss", "accuracy", "f1"]
    assert len(series) == 1
    assert series[0].label == "distilbert-finetuned-imdb"
    assert series[0].points["validation_loss"] == [(1.0, 0.2168), (2.0, 0.2205), (3.0, 0.2471)]
    assert series[0].points["f1"] == [(1.0, 0.9171), (2.0, 0.929), (3.0, 0.9319)]


def test_curves_one_line_per_dataset_of_a_keras_card() -> None:
    axis, quantities, series = curves([seed_path("000"), seed_path("001")])
    assert axis == "epoch"
    assert quantities == ["training_loss", "validation_loss", "precision", "recall", "f1", "accuracy"]
    assert [(s.label, s.card_index, s.dataset_index) for s in series] == [
        ("bert-finetuned-ner-per-v2 · conll-endava mixed, second version", 0, 0),
        ("bert-finetuned-ner-per-v2 · NERPERDemo", 0, 1),
        ("bert-finetuned-ner-per-v2 · wikiann", 0, 2),
        ("bert-finetuned-ner", 1, 0),
    ]
    # Keras epochs are completed epochs: 0, 1, 2 in the card are 1, 2, 3 here.
    assert series[2].points["validation_loss"] == [(1.0, 0.2869), (2.0, 0.2934), (3.0, 0.3073)]
    assert "f1" not in series[0].points


def test_no_log_rows_leave_gaps() -> None:
    _, _, series = curves([seed_path("003")])
    assert series[0].points["training_loss"] == [(3.0, 0.1243), (4.0, 0.1243), (5.0, 0.0299)]


def test_quantities_and_labels() -> None:
    _, quantities, series = curves(
        [EXAMPLE, EXAMPLE], labels=["a", "b"], quantities=["F1", "Validation Loss", "nope"]
    )
    assert quantities == ["f1", "validation_loss"]
    assert [s.label for s in series] == ["a", "b"]
    _, _, series = curves([EXAMPLE, EXAMPLE])
    assert [s.label for s in series] == ["distilbert-finetuned-imdb", "distilbert-finetuned-imdb (2)"]
    with pytest.raises(ValueError, match="1 labels for 2 cards"):
        curves([EXAMPLE, EXAMPLE], labels=["a"])


def test_timings_are_not_curves_unless_asked() -> None:
    card = ModelCard(
        training_results=[
            EpochResult(
                epoch=0.0, validation_loss=2.0, metrics={"model_preparation_time": 0.0031, "f1": 0.1}
            ),
            EpochResult(
                epoch=1.0, validation_loss=1.5, metrics={"model_preparation_time": 0.0031, "f1": 0.4}
            ),
        ]
    )
    assert curves([card])[1] == ["validation_loss", "f1"]
    assert curves([card], quantities=["Model Preparation Time"])[1] == ["model_preparation_time"]


def test_steps_when_no_card_states_an_epoch() -> None:
    card = ModelCard(
        path="/runs/exp1/README.md",
        training_results=[
            EpochResult(step=100, validation_loss=2.0),
            EpochResult(step=200, validation_loss=1.5),
        ],
    )
    axis, quantities, series = curves([card])
    assert (axis, quantities) == ("step", ["validation_loss"])
    assert series[0].label == "exp1"
    assert series[0].points["validation_loss"] == [(100.0, 2.0), (200.0, 1.5)]


def test_log_scale_for_values_far_apart() -> None:
    assert wants_log([0.0002, 0.3, 190.0]) is True
    assert wants_log([0.02, 0.12]) is False
    assert wants_log([0.0, 0.5, 100.0]) is False
    assert wants_log([]) is False


# --- the image ------------------------------------------------------------------------------
def test_plot_two_seed_cards_writes_a_png(tmp_path: Path) -> None:
    out = plot([seed_path("001"), seed_path("003")], tmp_path / "curves.png")
    assert out == tmp_path / "curves.png"
    # 3 x 2 panels of 4.6 x 3.4 in, plus title and one legend row, at 150 dpi.
    assert _png_size(out) == (2070, 1162)
    assert out.stat().st_size > 50_000


def test_plot_one_card_from_python(tmp_path: Path) -> None:
    out = plot([parse(EXAMPLE)], tmp_path / "one.png", quantities=["validation loss", "f1"], dpi=100)
    assert _png_size(out) == (920, 435)


def test_plot_svg(tmp_path: Path) -> None:
    out = plot([EXAMPLE], tmp_path / "c.svg", title="IMDB")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert "<svg" in text


def test_nothing_to_plot(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nothing to plot"):
        plot([ModelCard(model_name="empty")], tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


# --- command line -------------------------------------------------------------------------
def test_cli_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "curves.png"
    assert main(["plot", str(EXAMPLE), str(EXAMPLE), "-o", str(out), "--only", "f1,accuracy"]) == 0
    assert capsys.readouterr().out == f"{out}\n"
    assert _png_size(out) == (1380, 652)  # 2 panels; the legend's two labels fit on one row


def test_cli_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("# nothing here\n", encoding="utf-8")
    assert main(["plot", str(empty), "-o", str(tmp_path / "x.png")]) == 1
    assert "nothing to plot" in capsys.readouterr().err
    assert main(["plot", str(tmp_path / "missing.md"), "-o", str(tmp_path / "x.png")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["plot", str(EXAMPLE), "-o", str(tmp_path / "no" / "dir" / "x.png")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_readme_image_is_committed() -> None:
    """docs/images/curves.png, shown in the README, is the plot of seeds 001 and 003."""
    root = Path(__file__).resolve().parents[1]
    assert "](docs/images/curves.png)" in (root / "README.md").read_text(encoding="utf-8")
    assert _png_size(root / "docs" / "images" / "curves.png") == (2070, 1162)
