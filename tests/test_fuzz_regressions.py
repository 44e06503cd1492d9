"""Inputs that crashed ``parse`` in lenient mode, or broke its JSON contract, before the fix.

Each raised (or produced NaN/Infinity in the JSON output) at the commit before the fix;
they were found by the hostile-input suite, the property tests and the atheris harness
(``fuzz/``).  Each now gives a card, strict JSON and the diagnostic listed.  Hangs
(quadratic regular expressions and loops) are in ``tests/test_hostile.py``.
"""

from __future__ import annotations

import json

import pytest

from modelcard_parser import parse_text

MODEL_INDEX = (
    b"---\nmodel-index:\n- name: m\n  results:\n  - task: {type: t}\n"
    b"    dataset: {name: d, type: d}\n    metrics:\n    - {type: acc, value: %s}\n---\n"
)
HP = b"## Training hyperparameters\n\n- optimizer: %s\n"
TABLE = b"| Epoch | Step | Training Loss | x |\n|---|---|---|---|\n| 1 | 1 | 0.5 | %s |\n"

CRASHES = {
    # ValueError: Exceeds the limit (4300 digits) for integer string conversion
    "yaml-int-4301-digits": (b"---\nlicense: mit\ndescription: " + b"9" * 4301 + b"\n---\n", ("MC126", 3)),
    # OverflowError in PyYAML's base-60 float constructor
    "yaml-base60-float": (b"---\nx: 1" + b":1" * 200 + b".5\n---\n", ("MC126", 2)),
    # a 4,000-digit hex int: ValueError when the JSON contract turned it into decimal
    "yaml-hex-int": (b"---\nx: 0x" + b"f" * 4000 + b"\n---\n", ("MC126", 2)),
    # OverflowError: float() of a 401-digit model-index value
    "model-index-huge-int": (MODEL_INDEX % (b"1" + b"0" * 400), ("MC202", 8)),
    # the same from a hex int (fuzz/fuzz_structured.py, 351 executions against the old code)
    "model-index-hex-int": (MODEL_INDEX % (b"0x" + b"f" * 300), ("MC202", 8)),
    # Infinity in the JSON output
    "model-index-inf": (MODEL_INDEX % b".inf", ("MC202", 8)),
    "model-index-nan-text": (MODEL_INDEX % b"'nan'", ("MC202", 8)),
    # UnicodeDecodeError when dumping bytes kept in Optimizer.args
    "keras-dict-bytes": (HP % b"{'name': 'Adam', 'learning_rate': 0.001, 'x': b'\\xff'}", ("MC305", 3)),
    # pydantic ValidationError: Optimizer.args keys must be strings
    "keras-dict-int-key": (HP % b"{'name': 'Adam', 'learning_rate': 0.001, 3: 4}", ("MC305", 3)),
    # OverflowError: float() of a 401-digit learning rate
    "keras-dict-huge-int": (HP % (b"{'name': 'Adam', 'learning_rate': 1" + b"0" * 400 + b"}"), ("MC305", 3)),
    # Infinity in the JSON output (a literal 1e999 is inf)
    "keras-dict-inf": (HP % b"{'name': 'Adam', 'learning_rate': 1e999}", ("MC305", 3)),
    # OverflowError / Infinity from a dict in a results cell or an evaluation bullet
    "cell-dict-huge-int": (TABLE % (b"{'a': 1" + b"0" * 400 + b"}"), ("MC303", 3)),
    "cell-dict-inf": (TABLE % b"{'a': 1e999}", ("MC303", 3)),
    "eval-dict-inf": (
        b"It achieves the following results on the evaluation set:\n- Loss: {'a': 1e999}\n",
        ("MC303", 2),
    ),
}


def strict_json(data: bytes) -> tuple[str, list[tuple[str, int | None]]]:
    card = parse_text(data)
    return (
        json.dumps(card.model_dump(mode="json"), allow_nan=False),
        [(d.code, d.line) for d in card.diagnostics],
    )


@pytest.mark.parametrize("name", sorted(CRASHES))
def test_crash_input(name: str) -> None:
    data, diagnostic = CRASHES[name]
    _, found = strict_json(data)
    assert found == [diagnostic]


def test_trainer_optimizer_args_bytes_stay_text() -> None:
    """UnicodeDecodeError when dumping ``b'\\xff'`` parsed out of optimizer_args."""
    data = HP % b"Adam with betas=(0.9,0.999) and epsilon=1e-08 and optimizer_args=a=b'\\xff',c=2"
    card = parse_text(data)
    assert card.hyperparameters.optimizer is not None
    assert card.hyperparameters.optimizer.args == {"a": "b'\\xff'", "c": 2}
    json.dumps(card.model_dump(mode="json"), allow_nan=False)


def test_kept_values_are_the_text_written() -> None:
    data, _ = CRASHES["yaml-int-4301-digits"]
    card = parse_text(data)
    assert card.extra["description"] == "9" * 4301
    assert card.license == "mit"
    data, _ = CRASHES["model-index-inf"]
    (result,) = parse_text(data).eval_results
    assert (result.metrics, result.extra) == ({}, {"acc": "inf"})
