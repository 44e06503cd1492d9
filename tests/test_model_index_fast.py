"""model-index metrics: MetadataReader's fast path against its general ``_metric()``.

The fast path takes only plain ``dict`` metrics (``type(metric) is dict``); a dict subclass
holds the same content but goes down the general path. Reading the same front matter with
every metric wrapped in one must give the very same results and diagnostics.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelcard_parser import _api
from modelcard_parser._metadata import MetadataReader
from modelcard_parser._yaml import Path as KeyPath
from tests.conftest import CORPUS, SEEDS, corpus_cards

MI = ("model-index", 0, "results", 0, "metrics")


class _General(dict[str, Any]):
    """A metric the fast path does not take (not exactly a dict); the same to everything else."""


def _wrap(node: Any) -> Any:
    """A copy of a front-matter tree with every metric mapping a _General."""
    if isinstance(node, list):
        return [_wrap(v) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("metrics", "metric") and isinstance(value, list):
            out[key] = [_General(m) if type(m) is dict else m for m in value]
        elif key in ("metrics", "metric") and type(value) is dict:
            out[key] = _General(value)
        else:
            out[key] = _wrap(value)
    return out


def _read(data: dict[str, Any], positions: dict[KeyPath, int]) -> tuple[Any, ...]:
    reader = MetadataReader(data, positions)
    reader.read()
    results = [
        (
            repr(r),
            r.model_dump(mode="python"),
            [(d.model_fields_set, repr(d)) for d in r.details],
        )
        for r in reader.eval_results
    ]
    return results, [repr(d) for d in reader.diagnostics], reader.fields, reader.extra


def _general_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of the general path (a list of one count)."""
    calls = [0]
    general = MetadataReader._metric

    def spy(self: MetadataReader, metric: Any, mpath: KeyPath) -> dict[str, Any] | None:
        calls[0] += 1
        return general(self, metric, mpath)

    monkeypatch.setattr(MetadataReader, "_metric", spy)
    return calls


def _one(metrics: list[Any], positions: dict[KeyPath, int] | None = None) -> MetadataReader:
    data = {
        "model-index": [
            {"name": "m", "results": [{"task": {"type": "t"}, "dataset": {"name": "d"}, "metrics": metrics}]}
        ]
    }
    reader = MetadataReader(data, {("model-index",): 5} if positions is None else positions)
    reader.read()
    return reader


# --- exact cases ----------------------------------------------------------------------
def test_fast_metric_fields_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _general_calls(monkeypatch)
    positions: dict[KeyPath, int] = {("model-index",): 5, (*MI, 0, "value"): 20, (*MI, 1): 21}
    reader = _one(
        [
            {"type": "accuracy", "value": 67},
            {"name": "F1 (macro)", "value": 0.5, "config": "macro", "args": {"k": 1}, "verified": False},
            {"type": "", "name": "Loss", "value": -1.5e300, "config": "", "verified": "yes"},
        ],
        positions,
    )
    assert calls == [0]
    assert reader.diagnostics == []
    (result,) = reader.eval_results
    assert result.metrics == {"accuracy": 67.0, "f1_macro": 0.5, "loss": -1.5e300}
    assert [d.model_dump(exclude_none=True) for d in result.details] == [
        {"key": "accuracy", "type": "accuracy", "value": 67.0, "line": 20},
        {"key": "f1_macro", "name": "F1 (macro)", "value": 0.5, "config": "macro", "args": {"k": 1},
         "verified": False, "line": 21},
        {"key": "loss", "name": "Loss", "type": "", "value": -1.5e300, "config": "", "line": 5},
    ]  # fmt: skip
    assert type(result.details[0].value) is float
    assert [d.model_fields_set for d in result.details] == [
        {"key", "type", "value", "line"},
        {"key", "name", "value", "config", "args", "verified", "line"},
        {"key", "name", "type", "value", "config", "line"},
    ]


AT = "'model-index[0].results[0].metrics[0]"  # where _one() puts its first metric


@pytest.mark.parametrize(
    ("metric", "message"),
    [
        ({"type": "acc", "value": math.nan}, f"nan is invalid for {AT}.value': expected a finite number"),
        ({"type": "acc", "value": math.inf}, f"inf is invalid for {AT}.value': expected a finite number"),
        (
            {"type": "acc", "value": 2.0**1000},
            f"{2.0**1000!r} is invalid for {AT}.value': expected a finite number",
        ),
        (
            {"type": "acc", "value": -(2**1000)},
            f"{-(2**1000)} is invalid for {AT}.value': expected a finite number",
        ),
        ({"type": "acc", "value": True}, f"True is invalid for {AT}.value': expected a number"),
        ({"type": "acc"}, f"None is invalid for {AT}.value': expected a number"),
        ({"value": 1}, f"metric {AT}' has neither 'type' nor 'name'"),
        ({"type": ["a"], "name": "n", "value": 1}, f"['a'] is invalid for {AT}.type': expected a string"),
        ({"type": "acc", "config": {}, "value": 1}, f"{{}} is invalid for {AT}.config': expected a string"),
    ],
)
def test_general_path_notes_exact(
    monkeypatch: pytest.MonkeyPatch, metric: dict[str, Any], message: str
) -> None:
    calls = _general_calls(monkeypatch)
    reader = _one([metric])
    assert calls == [1]
    assert [(d.code, d.message, d.line) for d in reader.diagnostics] == [("MC202", message, 5)]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ({"type": "acc", "value": 2.0**1000 / 2}, {"acc": 2.0**999}),  # below the bound: fast
        ({"type": "acc", "value": 2**999}, {"acc": 2.0**999}),
        ({"type": "acc", "value": "93.5%"}, {"acc": 93.5}),  # a string: general
        ({"type": 7, "value": 1}, {"7": 1.0}),
        ({"type": "acc", "name": 3, "value": 1}, {"acc": 1.0}),
    ],
)
def test_values_exact(metric: dict[str, Any], expected: dict[str, float]) -> None:
    reader = _one([metric])
    assert reader.diagnostics == []
    assert reader.eval_results[0].metrics == expected


# --- differential ---------------------------------------------------------------------
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(["", "acc", "Accuracy", "f1", "F1", "---", "ndcg_at_10", "93.5%", "nan", "x"]),
    st.integers(),
    st.sampled_from([2**1000, -(2**1000), 2**1000 - 1, 2**999]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([2.0**1000, -(2.0**1000), 2.0**999, 1e308]),
    st.lists(st.text(max_size=2), max_size=1),
)
_METRIC = st.dictionaries(
    st.sampled_from(["type", "name", "config", "value", "args", "verified"]), _SCALARS, max_size=6
)
_ITEMS = st.lists(st.one_of(_METRIC, _METRIC, _METRIC, _SCALARS), max_size=6)


@given(
    metrics=st.one_of(_ITEMS, _METRIC),
    legacy=st.booleans(),
    lines=st.dictionaries(st.integers(0, 6), st.sampled_from([(), ("value",)]), max_size=6),
)
def test_fast_path_matches_general(metrics: Any, legacy: bool, lines: dict[int, KeyPath]) -> None:
    key = "metric" if legacy and isinstance(metrics, dict) else "metrics"
    base: KeyPath = ("model-index", 0, "results", 0, key)
    positions: dict[KeyPath, int] = {("model-index",): 3, base: 4}
    for k, tail in lines.items():
        where: KeyPath = (*base, k, *tail)
        positions[where] = 10 + k * 2 + len(tail)
    data = {"model-index": [{"name": "m", "results": [{"task": {"type": "t"}, "dataset": {}, key: metrics}]}]}
    assert _read(data, positions) == _read(_wrap(data), positions)


@pytest.mark.corpus
def test_corpus_fast_path_matches_general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus and seed card's front matter reads the same through either path."""
    cards = corpus_cards() + sorted(SEEDS.glob("*.md"))
    if not cards:
        pytest.skip(f"{CORPUS} is not present")
    calls = _general_calls(monkeypatch)
    wrapped_calls = 0
    for path in cards:
        raw = _api.parse_raw(Path(path).read_text(encoding="utf-8"))
        before = calls[0]
        plain = _read(raw.metadata, raw.positions)
        fast_general = calls[0] - before
        wrapped = _read(_wrap(raw.metadata), raw.positions)
        wrapped_calls += calls[0] - before - fast_general
        assert plain == wrapped, path.name
        if path.stem == "0222":  # an MTEB card: 990 metrics, all well formed
            assert (fast_general, calls[0] - before - fast_general) == (0, 990)
    assert wrapped_calls >= 1000  # 0222's 990 and more
