"""The fast paths of the front-matter split give what the plain loops gave.

``_frontmatter._find_close`` finds the usual closing fence ("---" exactly) with
``list.index`` and looks at the lines before it only when one of them starts with "---";
the reference below is the loop it replaced.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import _frontmatter
from modelcard_parser._api import read_source
from tests.conftest import corpus_cards

_FENCE = re.compile(r"-{3,}[ \t]*\Z")


def reference_find_close(lines: list[str], start: int, limit: int | None = None) -> int | None:
    stop = len(lines) if limit is None else min(len(lines), start + limit)
    for i in range(start, stop):
        if _FENCE.match(lines[i]):
            return i
    return None


LINES = [
    "---",
    "----",
    "--- ",
    "---\t",
    "---x",
    "--",
    "- --",
    " ---",
    "---\u00a0",
    "",
    " ",
    "key: value",
    "- item",
    "x---",
    "```",
]


@settings(max_examples=1500)
@given(
    st.lists(st.sampled_from(LINES), max_size=10),
    st.integers(0, 11),
    st.one_of(st.none(), st.integers(0, 11)),
)
def test_find_close_is_the_loop(lines: list[str], start: int, limit: int | None) -> None:
    assert _frontmatter._find_close(lines, start, limit) == reference_find_close(lines, start, limit)


@pytest.mark.parametrize(
    ("lines", "start", "limit", "expected"),
    [
        (["a: 1", "---"], 0, None, 1),
        (["a: 1", "----", "---"], 0, None, 1),  # a longer fence before the usual one
        (["a: 1", "--- ", "---"], 0, None, 1),
        (["a: 1", "---x", "---"], 0, None, 2),  # starts with "---" but is no fence
        (["---", "a: 1", "---"], 1, None, 2),  # the opening fence is before start
        (["a: 1", "b: 2", "---"], 0, 2, None),  # past the limit
        (["a: 1", "----"], 0, None, 1),  # no exact "---" at all
        (["a: 1"], 0, None, None),
        ([], 0, None, None),
        (["---"], 1, None, None),
    ],
)
def test_find_close_exact(lines: list[str], start: int, limit: int | None, expected: int | None) -> None:
    assert _frontmatter._find_close(lines, start, limit) == expected


def test_code_fence_around() -> None:
    lines = ["## YAML", "```yaml", "---", "a: 1", "---", "```", "text"]
    assert _frontmatter._code_fence_around(lines, 2, 4) == 5
    assert _frontmatter._code_fence_around(["---", "a: 1", "---", "```"], 0, 2) is None  # nothing before
    assert _frontmatter._code_fence_around(["", " ", "---", "a: 1", "---", "```"], 2, 4) is None


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_find_close_on_every_corpus_card() -> None:
    for path in corpus_cards():
        lines = read_source(path).lines
        for start in range(min(len(lines), 3)):
            assert _frontmatter._find_close(lines, start) == reference_find_close(lines, start), path
            assert _frontmatter._find_close(lines, start, 400) == reference_find_close(lines, start, 400)
