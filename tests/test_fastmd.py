"""_fastmd gives markdown-it's exact tokens, or None; never something else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import _fastmd
from modelcard_parser._markdown import _MD
from tests.conftest import corpus_cards

pytestmark = pytest.mark.skipif(not _fastmd.ENABLED, reason="fast path only for markdown-it-py 4")

# Lines in and around the subset the fast path handles: blank lines, paragraph text,
# one-line bullets, pipe tables, HTML blocks, and lookalikes that must send the section
# to markdown-it (fences, headings, quotes, breaks, setext underlines, ordered lists,
# indented lines, references, nested and lazy bullets, misplaced delimiter rows).
LINES = [
    "",
    " ",
    "\t",
    "text",
    "Loss: 0.3",
    "**bold**: 1",
    "_x_ y",
    "-x",
    "+1 z",
    "=x",
    "2e-05",
    "1.0 and",
    "[More Information Needed]",
    "[a]: /url",
    "\u00a0",
    "- a",
    "- b: 1",
    "- **c**: 2",
    "* a",
    "+ a",
    "- [x] t",
    "-  two",
    "- a | b",
    "- ",
    "-",
    "- - x",
    "- 1. x",
    "| a | b |",
    "|---|---|",
    "|:--|--:|",
    "| :-: | --- |",
    "a | b",
    "--- | ---",
    "-|-",
    ":--|--",
    "| 1 | 2 |",
    "| 1 |",
    "| 1 | 2 | 3 |",
    "| a \\| b | c |",
    "|a|b|c|",
    "||",
    "|",
    "  |---|---|",
    "• bullet",
    "`x`",
    "```",
    "~~~",
    "<div>",
    "<!-- c -->",
    "<!-- open",
    "end -->",
    "<img src=x>",
    "<b>b</b> t",
    "    code",
    "  - nested",
    "# head",
    "> quote",
    "---",
    "===",
    "***",
    "1. item",
    "1) item",
]


def _check(lines: list[str]) -> bool:
    """True when the fast path answered (and then equally to markdown-it)."""
    fast = _fastmd.tokens(lines)
    if fast is None:
        return False
    assert fast == _MD.parse("\n".join(lines)), lines
    return True


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12))
def test_same_tokens_as_markdown_it(lines: list[str]) -> None:
    _check(lines)


@pytest.mark.parametrize(
    "lines",
    [
        ["The following hyperparameters were used during training:", "- learning_rate: 2e-05", "- seed: 42"],
        ["", "| Training Loss | Epoch | Step |", "|:---:|:---:|:---:|", "| 0.1 | 1.0 | 10 |", ""],
        ["It achieves the following results on the evaluation set:", "- Loss: 0.2", "- Accuracy: 0.9", ""],
        ["- Transformers 4.38.2", "- Pytorch 2.2.1", "", ""],
        ["<!-- generated -->", "", "More information needed", "", "* one", "", "* two"],
        ["Results:", "| a | b |", "|---|---|", "| 1 | 2 |", "", "after the table"],
    ],
)
def test_plain_sections_take_the_fast_path(lines: list[str]) -> None:
    assert _check(lines)


@pytest.mark.parametrize(
    "lines",
    [["```", "- a", "```"], ["- a", "  - b"], ["- a", "lazy"], ["# title"], ["text", "---"], ["    code"]],
)
def test_other_markdown_goes_to_markdown_it(lines: list[str]) -> None:
    assert _fastmd.tokens(lines) is None


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_every_corpus_section() -> None:
    from modelcard_parser import _frontmatter
    from modelcard_parser._api import read_source
    from modelcard_parser._sections import scan

    fast = 0
    for path in corpus_cards():
        src = read_source(path)
        root = scan(src.lines, _frontmatter.split(src.lines).body_start)
        for section in root.walk():
            fast += _check(src.lines[section.start - 1 : section.own_end - 1])
            fast += _check(src.lines[section.line - 1 : section.end - 1])
    assert fast > 1000
