"""Body's whole-text searches give the same lines as a test of every line."""

from __future__ import annotations

import re

import pytest

from modelcard_parser._extract._body import Body
from modelcard_parser._sections import scan
from tests.conftest import corpus_cards

LINES = [
    "---",
    "license: mit",
    "---",
    "# Title",
    "",
    "Evaluation: evaluation twice on one line",
    "- Transformers 4.40.0",
    "  *  torch 2.1",
    "",
    "no match here",
    "evaluation",
]


def _body() -> Body:
    return Body(LINES, scan(LINES, 4))


def test_lines_containing_gives_each_line_once() -> None:
    body = _body()
    assert list(body.lines_containing("valuation")) == [6, 11]
    assert list(body.lines_containing("license")) == []  # front matter is not body
    assert list(body.lines_containing("absent")) == []


def test_line_of_and_matching_lines() -> None:
    body = _body()
    assert body.text.startswith("# Title\n")
    assert [body.line_of(body.text.index(s)) for s in ("# Title", "- Trans", "Evaluation:", "no match")] == [
        4,
        7,
        6,
        10,
    ]
    assert body.line_of(len(body.text) - 1) == 11
    pattern = re.compile(r"^[^\S\n]*[-*][^\S\n]*(?:transformers|torch)\b", re.IGNORECASE | re.MULTILINE)
    assert [n for n, _ in body.matching_lines(pattern)] == [7, 8]


def _same_sections_and_titles(body: Body) -> None:
    assert body.sections == list(body.root.walk())
    titled = [s for s in body.sections if s.title is not None]
    for keys in (("training results",), ("framework versions", "framework version")):
        assert body.titled(keys) == [s for s in titled if s.key in keys]
    assert body.titled_containing("hyperparameter") == [s for s in titled if "hyperparameter" in s.key]


def test_sections_and_titles_as_the_walk() -> None:
    """Body's pre-order list and title lookups are those of Section.walk and Section.key."""
    lines = ["# a", "## Training Hyperparameters", "### c", "## d", "# Framework versions", "text", "#### f"]
    body = Body(lines, scan(lines, 1))
    assert [s.title for s in body.sections] == [
        None,
        "a",
        "Training Hyperparameters",
        "c",
        "d",
        "Framework versions",
        "f",
    ]
    assert [s.line for s in body.titled(("framework versions",))] == [5]
    assert [s.line for s in body.titled_containing("hyperparameter")] == [2]
    _same_sections_and_titles(body)
    _same_sections_and_titles(_body())


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_sections_and_titles_on_every_corpus_card() -> None:
    from modelcard_parser import _frontmatter
    from modelcard_parser._api import read_source

    for path in corpus_cards():
        src = read_source(path)
        _same_sections_and_titles(Body(src.lines, scan(src.lines, _frontmatter.split(src.lines).body_start)))
