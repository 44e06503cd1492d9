"""The complete expected JSON of every seed, field by field (issue #3 acceptance).

The goldens in tests/golden/seeds/ were checked value by value against the seed texts;
the seeds themselves are read from ../shared/seeds (skipped when absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelcard_parser import ModelCard, parse
from tests.conftest import seed_path

GOLDEN = Path(__file__).resolve().parent / "golden" / "seeds"
SEEDS = sorted(p.stem for p in GOLDEN.glob("*.json"))
FIELDS = list(json.loads((GOLDEN / "001.json").read_text(encoding="utf-8")))


def _card(seed: str) -> ModelCard:
    return parse(seed_path(seed))


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_seed_field(seed: str, field: str) -> None:
    expected = json.loads((GOLDEN / f"{seed}.json").read_text(encoding="utf-8"))
    assert _card(seed).model_dump(mode="json")[field] == expected[field]


def test_goldens_cover_every_contract_key() -> None:
    assert FIELDS[:3] == ["schema_version", "style", "model_name"]
    for seed in SEEDS:
        assert list(json.loads((GOLDEN / f"{seed}.json").read_text(encoding="utf-8"))) == FIELDS


def test_seed_000_three_captioned_keras_tables() -> None:
    card = _card("000")
    assert card.style == "keras"
    assert [(r.dataset, r.epoch) for r in card.training_results] == [
        (ds, float(e))
        for ds in ("conll-endava mixed, second version", "NERPERDemo", "wikiann")
        for e in (1, 2, 3)
    ]
    sched = card.hyperparameters.lr_scheduler
    assert sched is not None
    assert (sched.type, sched.args["decay_steps"], card.hyperparameters.learning_rate) == (
        "polynomial_decay",
        1875,
        2e-05,
    )
    assert [(r.dataset, r.metrics["epoch"]) for r in card.eval_results] == [
        ("conll-endava mixed, second version", 3.0),
        ("NERPERDemo", 3.0),
        ("wikiann", 3.0),
    ]


def test_seed_002_prose_rewrite_matches_a_trainer_card() -> None:
    card = _card("002")
    hp = card.hyperparameters
    assert (hp.learning_rate, hp.train_batch_size, hp.eval_batch_size, hp.seed, hp.num_epochs) == (
        2e-05,
        8,
        8,
        42,
        3.0,
    )
    assert hp.lr_scheduler is not None
    assert hp.lr_scheduler.type == "linear"
    assert [(r.epoch, r.step, r.training_loss, r.validation_loss) for r in card.training_results] == [
        (1.0, 2, None, 2.0593),
        (2.0, 4, None, 1.9693),
        (3.0, 6, None, 1.9498),
    ]
    assert card.training_results[-1].source_line == 50
    assert [(d.code, d.line) for d in card.diagnostics] == [("MC306", 46)]


def test_seed_003_no_log_rows() -> None:
    rows = _card("003").training_results
    assert [r.training_loss for r in rows] == [None, None, 0.1243, 0.1243, 0.0299]
    assert rows[0].raw["Training Loss"] == "No log"
