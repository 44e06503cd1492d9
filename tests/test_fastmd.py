"""_fastmd gives the blocks markdown-it's tokens give, or None; never something else."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import _fastmd
from modelcard_parser._blocks import Block
from modelcard_parser._markdown import _MD, _token_blocks, parse_blocks
from modelcard_parser.diagnostics import Diagnostic
from tests.conftest import corpus_cards

pytestmark = pytest.mark.skipif(not _fastmd.ENABLED, reason="fast path only for markdown-it-py 4")

# Lines in and around the subset the fast path handles: blank lines, paragraph text,
# one-line bullets, pipe tables, HTML blocks, code fences, and lookalikes that must send
# the section to markdown-it (headings, quotes, breaks, setext underlines, ordered lists,
# indented lines, references, nested and lazy bullets, misplaced delimiter rows), rows that
# markdown-it's escapedSplit and split_row read differently (escapes, code spans, C0
# separators), and rows a multi-line cell breaks (repaired after markdown-it).
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
    "- ```",
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
    "| `a|b` | c |",
    "| a\x1f | b\x85 |",
    "| a \\|",
    "|a|b|c|",
    "||",
    "|",
    "|  ",
    "| 1 | precision",
    "  |---|---|",
    "a  b",
    "x  0.9 |",
    "\u00a0---|---",
    "• bullet",
    "  • sub",
    "`x`",
    "```",
    "```py",
    "````",
    "``` a`b",
    "  ```",
    "    ```",
    "~~~",
    "~~~ ~",
    "<div>",
    "<!-- c -->",
    "<!-- open",
    "end -->",
    "<img src=x>",
    "<b>b</b> t",
    "    code",
    "     0  0.97",
    "\tx",
    " \tx",
    "  \tx",
    "   \t",
    "    • a",
    "    | a | b |",
    "    |---|---|",
    " | None |",
    "  | 1 | 2 |",
    "   |---|---|",
    "   |",
    " text",
    "   2e-05",
    "  [a]: /url",
    "  ---",
    "  ===",
    "  --- | ---",
    "  :--|--",
    "  * x",
    "  1. x",
    "  <div>",
    "  ```",
    "  ```py",
    " ~~~",
    "   ``` a`b",
    "- `key`: 1",
    "- ``` x",
    "| a | b |  ",
    "| a |\u00a0",
    "  |\t1\t|\t2\t|",
    "|a|b",
    "  # h",
    "  > q",
    "  - nested",
    "# head",
    "> quote",
    "---",
    "===",
    "***",
    "1. item",
    "1) item",
]


def _both(lines: list[str]) -> tuple[list[Block], list[Block], list[Diagnostic], list[Diagnostic]]:
    """parse_blocks' blocks and notes with the fast path allowed, and with markdown-it forced."""
    fast_notes: list[Diagnostic] = []
    slow_notes: list[Diagnostic] = []
    end = len(lines) + 1
    fast = parse_blocks(lines, 1, end, notes=fast_notes)
    slow = parse_blocks(lines, 1, end, notes=slow_notes, fast=False)
    return fast, slow, fast_notes, slow_notes


def _check(lines: list[str]) -> bool:
    """True when the fast path answered; either way parse_blocks gives markdown-it's blocks."""
    fast, slow, fast_notes, slow_notes = _both(lines)
    assert fast == slow, lines
    assert fast_notes == slow_notes, lines
    return _fastmd.blocks(lines, 1) is not None


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12))
def test_same_blocks_as_markdown_it(lines: list[str]) -> None:
    _check(lines)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=12))
def test_same_raw_blocks_as_the_token_walk(lines: list[str]) -> None:
    # Before the repairs too (they could hide a difference).
    fast = _fastmd.blocks(lines, 1)
    if fast is not None:
        tokens = _MD.parse("\n".join(lines))
        assert fast == _token_blocks(tokens, lines, 1, lines=lines, base=0), lines


@pytest.mark.parametrize(
    "lines",
    [
        ["The following hyperparameters were used during training:", "- learning_rate: 2e-05", "- seed: 42"],
        ["", "| Training Loss | Epoch | Step |", "|:---:|:---:|:---:|", "| 0.1 | 1.0 | 10 |", ""],
        ["It achieves the following results on the evaluation set:", "- Loss: 0.2", "- Accuracy: 0.9", ""],
        ["- Transformers 4.38.2", "- Pytorch 2.2.1", "", ""],
        ["<!-- generated -->", "", "More information needed", "", "* one", "", "* two"],
        ["Results:", "| a | b |", "|---|---|", "| 1 | 2 |", "", "after the table"],
        ["Use it:", "```python", "- a", "", "    x = 1", "```", "- b"],
        ["| a | b |", "|---|---|", "| `x|y` | \\| |", "|", "| 1 | 2 | 3 |"],
        ["• one", "\u00a0• two", "text"],
        ["| a | b |", "|---|---|", "| r | precision", "", "x  0.9 |"],
        ["    code"],
        ["text", "    code", " more", "  | a | b |"],
        ["| a | b |", "|---|---|", "| 1 | x", "      0  0.97", "", "\t1  0.9", " | None |", "| 2 | y"],
        ["| a | b |", "|---|---|", "  | 1 | 2 |", "   |", "    | 3 | 4 |"],
        ["| not | a table |", "| 1 |", "", "  |---|---|"],
        ["The model:", "  ```", "  {'scale': 20.0}", "  ```", "", "More:", "```", "{", "    x", "```"],
        ["- `overwrite_output_dir`: False", "- `seed`: 42"],
        ["| a | b |", "|---|---|", "|  1 |2|  ", " | \u00a03 |\t4\t|", "|| |", "", "text"],
    ],
)
def test_plain_sections_take_the_fast_path(lines: list[str]) -> None:
    assert _check(lines)


@pytest.mark.parametrize(
    "lines",
    [
        ["- a", "  - b"],
        ["- a", "lazy"],
        ["# title"],
        ["text", "---"],
        ["  - a"],
        ["text", "  ---"],
        ["    • a", "b"],
        ["1. one"],
        ["> quote"],
        ["| a | b |", "|---|---|", "- a"],
        ["- a", "  ```", "  x", "  ```"],
        ["| a | b |", "|---|---|", "```"],
    ],
)
def test_other_markdown_goes_to_markdown_it(lines: list[str]) -> None:
    assert not _check(lines)


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
            for start, end in ((section.start, section.own_end), (section.line, section.end)):
                if end <= start:
                    continue
                fast_notes: list[Diagnostic] = []
                slow_notes: list[Diagnostic] = []
                got = parse_blocks(src.lines, start, end, notes=fast_notes)
                assert got == parse_blocks(src.lines, start, end, notes=slow_notes, fast=False), (path, start)
                assert fast_notes == slow_notes, (path, start)
                fast += _fastmd.blocks(src.lines[start - 1 : end - 1], start) is not None
    assert fast > 1000


# Delimiter cells, each between a column of dashes on either side (so no edge column is
# empty): the fast path's reading of ":?-+:?" must be markdown-it's.
DELIMITER_CELLS = sorted({"".join(p) for n in range(1, 5) for p in itertools.product("-: \t", repeat=n)})


@pytest.mark.parametrize("cell", DELIMITER_CELLS)
def test_delimiter_cells_as_markdown_it(cell: str) -> None:
    lines = ["| a | b | c |", f"|---|{cell}|---|", "| 1 | 2 | 3 |"]
    assert _check(lines)  # a table, or three lines of paragraph text
    tokens = _MD.parse("\n".join(lines))
    assert any(t.type == "table_open" for t in tokens) == bool(re.search("^:?-+:?$", cell.strip(" \t")))


ROWS = [
    "| 1 | 2 |",
    "|1|2|",
    "| 1 | 2 |   ",
    "  | 1 | 2 |",
    "|\t1\t|\u00a02\u3000|",
    "| | |",
    "||",
    "| 1 |",
    "| 1 | 2 | 3 |",
    "| 1 | 2",
    "|",
    "| a \\| b | c |",
    "| `a|b` | c |",
    "| 1\x1f | 2 |",
    "| 1 | 2 |\x85",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ROWS), max_size=8), st.sampled_from(["", "text", "    code", "- a"]))
def test_table_rows_as_markdown_it(rows: list[str], after: str) -> None:
    """Whole tables split at once (_regular_rows) or row by row: markdown-it's rows."""
    lines = ["| a | b |", "|---|---|", *rows, after]
    fast = _fastmd.blocks(lines, 1)
    if fast is not None:
        assert fast == _token_blocks(_MD.parse("\n".join(lines)), lines, 1, lines=lines, base=0), lines
    _check(lines)


def test_regular_rows_answer_only_for_regular_tables() -> None:
    regular = ["| 1 | 2 |", "|3|4|  ", "  |\t5\t| 6 |"]
    rows = _fastmd._regular_rows(regular, 0, 3, ncols=2, shift=10, plain=True)
    assert rows is not None
    assert [(r.cells, r.line, r.width) for r in rows] == [
        (["1", "2"], 10, 2),
        (["3", "4"], 11, 2),
        (["5", "6"], 12, 2),
    ]
    for odd in (
        ["| 1 | 2 |", "| 3 |"],
        ["| 1 | 2 |", "| 3 | 4"],
        ["| 1 | 2 | 3 |", "| 4 |"],
        ["| a \\| b |", "| c |"],
    ):
        assert _fastmd._regular_rows(odd, 0, 2, ncols=2, shift=1, plain=False) is None, odd
