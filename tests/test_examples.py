"""The cards and the script shipped in examples/ keep working."""

from __future__ import annotations

import subprocess
import sys

from modelcard_parser import check, parse
from tests.conftest import EXAMPLES, ROOT


def test_trainer_example() -> None:
    card = parse(EXAMPLES / "distilbert-finetuned-imdb.md")
    hp = card.hyperparameters
    assert (card.style, card.diagnostics) == ("trainer", [])
    assert (
        hp.learning_rate,
        hp.train_batch_size,
        hp.gradient_accumulation_steps,
        hp.total_train_batch_size,
    ) == (2e-05, 16, 2, 32)
    assert hp.lr_scheduler is not None
    assert (hp.lr_scheduler.type, hp.lr_scheduler.warmup_ratio, hp.mixed_precision) == (
        "linear",
        0.1,
        "Native AMP",
    )
    assert [r.step for r in card.training_results] == [782, 1564, 2346]


def test_keras_example() -> None:
    card = parse(EXAMPLES / "tf-roberta-finetuned-emotion.md")
    hp = card.hyperparameters
    assert (card.style, card.base_model, hp.learning_rate, hp.mixed_precision) == (
        "keras",
        "roberta-base",
        3e-05,
        "mixed_float16",
    )
    assert hp.lr_scheduler is not None
    assert (hp.lr_scheduler.type, hp.lr_scheduler.warmup_steps, hp.lr_scheduler.args["decay_steps"]) == (
        "polynomial_decay",
        200,
        3800,
    )
    assert [r.epoch for r in card.training_results] == [1.0, 2.0, 3.0, 4.0]
    assert card.training_results[-1].metrics == {"train_accuracy": 0.9461, "validation_accuracy": 0.9315}
    assert card.eval_results[0].metrics["epoch"] == 4.0


def test_examples_have_no_error_findings() -> None:
    for name in ("distilbert-finetuned-imdb.md", "tf-roberta-finetuned-emotion.md"):
        assert [d for d in check(parse(EXAMPLES / name)) if d.severity.value == "error"] == []


def test_parse_cards_script() -> None:
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "parse_cards.py"), str(EXAMPLES)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.splitlines()
    assert out == [
        "distilbert-finetuned-imdb.md: trainer 'distilbert-finetuned-imdb' from 'distilbert-base-uncased', lr=2e-05, "
        "optimizer=adamw_torch, epochs=3.0, val_loss=0.2471, 0 diagnostic(s)",
        "tf-roberta-finetuned-emotion.md: keras 'tf-roberta-finetuned-emotion' from 'roberta-base', lr=3e-05, "
        "optimizer=adamweightdecay, epochs=4.0, val_loss=0.1873, 0 diagnostic(s)",
    ]
