"""Body's whole-text searches give the same lines as a test of every line."""

from __future__ import annotations

import re

from modelcard_parser._extract._body import Body
from modelcard_parser._sections import scan

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
