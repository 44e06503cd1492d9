"""The libyaml fast path of ``_yaml.load`` gives exactly what the bounded composer gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcard_parser._yaml as yaml_mod
from modelcard_parser._source import DEFAULT_LIMITS, Limits
from tests._cards import KERAS, TRAINER

pytestmark = pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None, reason="libyaml is not available")


def _typed(value: Any) -> Any:
    """Data with its types spelled out (``1``, ``1.0`` and ``True`` compare equal)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _outcome(text: str, limits: Limits) -> Any:
    try:
        res = yaml_mod.load(text, 2, limits)
    except Exception as exc:  # a crash must at least be the same crash
        return ("raised", type(exc).__name__, str(exc))
    return (_typed(res.data), res.positions, [d.model_dump() for d in res.diagnostics], res.ok)


def _both(text: str, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = _outcome(text, limits)
    with monkeypatch.context() as m:
        m.setattr(yaml_mod, "_FastLoader", None)
        bounded = _outcome(text, limits)
    return fast, bounded


def _front_matter(card: str) -> str:
    return card.split("---\n")[1]


@pytest.mark.parametrize("card", [TRAINER, KERAS])
def test_cards_take_the_fast_path(card: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _front_matter(card)
    assert yaml_mod._load_fast(text, 2, DEFAULT_LIMITS) is not None
    fast, bounded = _both(text, DEFAULT_LIMITS, monkeypatch)
    assert fast == bounded


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchors and aliases: composer errors are worded differently
        "a: !!python/object:os.system x\n",
        "a: " + "[" * 1200 + "]" * 1200 + "\n",  # libyaml is quadratic in flow nesting
        "a: [1,\n",  # a syntax error is reported by the bounded path
    ],
)
def test_documents_left_to_the_bounded_path(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yaml_mod._load_fast(text, 2, DEFAULT_LIMITS) is None
    fast, bounded = _both(text, DEFAULT_LIMITS, monkeypatch)
    assert fast == bounded


@pytest.mark.parametrize(
    ("text", "limits"),
    [
        ("a:\n  b:\n    c:\n      d: 1\n", Limits(max_yaml_depth=2)),
        ("a: [1, 2, 3, 4, 5, 6]\nb: {c: 1, d: 2}\n", Limits(max_yaml_nodes=6)),
        ("- - - - - - x\n", Limits(max_yaml_depth=3)),
        # the bounded composer stops at the depth before "!!int x" is ever constructed
        ("a: !!int x\nb:\n  c:\n    d:\n      e: 1\n", Limits(max_yaml_depth=2)),
        ("a: 1\nb: [[[[[1]]]]]\n", Limits(max_yaml_depth=3)),
    ],
)
def test_limits_give_the_same_findings(text: str, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, bounded = _both(text, limits, monkeypatch)
    assert fast == bounded
    assert "MC124" in str(bounded)


def test_the_node_bound_holds() -> None:
    """_max_nodes is an upper bound of what the bounded composer counts."""
    loader_cls = yaml_mod._bounded(yaml.CSafeLoader)
    for text in ["{?, ?, ?}", "[? a, ? b]", "- \n- \n- \n", "{a, b, c}", "? \n? \n", "[[], {}, [[]]]"]:
        loader = loader_cls(text)
        loader.max_nodes, loader.max_depth = 10**9, 10**6
        loader.get_single_node()
        brackets = text.count("[") + text.count("{")
        assert loader.nodes <= yaml_mod._max_nodes(text, brackets), text


PIECES = [
    "a",
    "b: 1",
    ": ",
    "- ",
    "? ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "\n  ",
    "'q'",
    '"d"',
    "!!int ",
    "!!str ",
    "~",
    "1.5",
    "yes",
    "#c",
    "|",
    ">",
    "<<: ",
    "2021-01-01",
    "!t ",
]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=25),
    st.sampled_from([DEFAULT_LIMITS, Limits(max_yaml_nodes=12, max_yaml_depth=3)]),
)
def test_same_result_as_the_bounded_path(pieces: list[str], limits: Limits) -> None:
    text = "".join(pieces)
    fast = _outcome(text, limits)
    saved = yaml_mod._FastLoader
    yaml_mod._FastLoader = None
    try:
        bounded = _outcome(text, limits)
    finally:
        yaml_mod._FastLoader = saved
    assert fast == bounded
