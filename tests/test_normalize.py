"""Normalisation: canonical names, alias tables, values kept rather than dropped."""

from __future__ import annotations

import pytest

from modelcard_parser import parse_text
from modelcard_parser._names import COLUMN_ALIASES, HP_ALIASES, OPTIMIZER_MEMBERS, canonical
from modelcard_parser.normalize import parse_number


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Validation Loss", "validation_loss"),
        ("Rougelsum", "rougelsum"),
        ("Gen Len", "gen_len"),
        ("Top-3-accuracy", "top_3_accuracy"),
        ("0 F1-score", "0_f1_score"),
        ("  Überprüfung  (F1) ", "überprüfung_f1"),
        ("eval__loss", "eval_loss"),
    ],
)
def test_canonical(title: str, expected: str) -> None:
    assert canonical(title) == expected


@pytest.mark.parametrize("alias", sorted(HP_ALIASES))
def test_every_hyperparameter_alias_is_canonical_and_read(alias: str) -> None:
    assert canonical(alias) == alias
    card = parse_text(f"## Training hyperparameters\n\n- {alias}: 4\n")
    hp = card.hyperparameters
    assert hp.raw == {alias: "4"}
    assert alias not in hp.extra or HP_ALIASES[alias] == "optimizer"


@pytest.mark.parametrize("alias", sorted(COLUMN_ALIASES))
def test_every_column_alias_maps_to_a_row_field(alias: str) -> None:
    field = COLUMN_ALIASES[alias]
    other = "Epoch" if field in ("training_loss", "validation_loss") else "Validation Loss"
    table = f"| {alias.replace('_', ' ').title()} | {other} |\n|---|---|\n| 2 | 2 |\n"
    (row,) = parse_text("## Training results\n\n" + table).training_results
    assert getattr(row, field) == 2
    assert row.metrics == {}


@pytest.mark.parametrize(("member", "value"), sorted(OPTIMIZER_MEMBERS.items()))
def test_optimizer_member_names_map_to_values(member: str, value: str) -> None:
    card = parse_text(
        f"## Training hyperparameters\n\n- optimizer: Use OptimizerNames.{member} and the args are:\nNo additional optimizer arguments\n"
    )
    assert card.hyperparameters.optimizer is not None
    assert card.hyperparameters.optimizer.name == value
    assert card.hyperparameters.optimizer.args == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.9325", 0.9325),
        ("-1.5", -1.5),
        ("3e-05", 3e-05),
        ("85.3%", 85.3),
        ("**0.5**", 0.5),
        ("nan", None),
        ("No log", None),
        ("abc", None),
    ],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


def test_dict_cells_flatten_only_when_every_value_is_a_number() -> None:
    card = parse_text(
        "# m\n\nIt achieves the following results on the evaluation set:\n- Loss: 0.5\n"
        "- Loc: {'note': 'n/a'}\n- Per: {'precision': 0.5, 'label': 'PER'}\n"
        "- Org: {'precision': 0.5, 'recall': 0.25, 'number': 12}\n"
    )
    (result,) = card.eval_results
    assert result.metrics == {
        "validation_loss": 0.5,
        "org_precision": 0.5,
        "org_recall": 0.25,
        "org_number": 12.0,
    }
    assert result.extra == {"loc": "{'note': 'n/a'}", "per": "{'precision': 0.5, 'label': 'PER'}"}
    assert [(d.code, d.line) for d in card.diagnostics] == [("MC303", 5), ("MC303", 6)]


def test_unmapped_hyperparameters_are_kept_as_written() -> None:
    card = parse_text(
        "## Training hyperparameters\n\n- learning_rate: 1e-4\n- lora_r: 16\n- lora_alpha: 32\n"
    )
    assert card.hyperparameters.learning_rate == 1e-4
    assert card.hyperparameters.extra == {"lora_r": "16", "lora_alpha": "32"}
    assert card.hyperparameters.lines == {"learning_rate": 3, "lora_r": 4, "lora_alpha": 5}


def test_null_cells_as_written_are_null_cells() -> None:
    """The table's shortcut set holds only texts cell() itself reads as null."""
    from modelcard_parser import normalize as norm

    assert {t.strip().lower() for t in norm._NULL_AS_WRITTEN} <= norm._NULL_CELLS
