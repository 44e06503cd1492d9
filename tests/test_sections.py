"""_sections.scan gives exactly the section tree of the plain line-by-line scan.

``scan`` skips most lines without looking at them closely (see its docstring); the
reference below is the straightforward loop it replaced, kept here as the oracle: every
line goes through every rule, in order.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import _frontmatter
from modelcard_parser._api import read_source
from modelcard_parser._sections import PLAIN_TITLES, WHITESPACE, Section, scan, title_key
from tests.conftest import corpus_cards

# --- the reference: the plain scan, every line through every rule -------------------------
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*\Z")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")


def _plain_heading(lines: list[str], i: int) -> int | None:
    text = lines[i].strip()
    if not text or len(text) > 40:
        return None
    if (i > 0 and lines[i - 1].strip()) or (i + 1 < len(lines) and lines[i + 1].strip()):
        return None
    return PLAIN_TITLES.get(title_key(text))


def reference_scan(lines: list[str], body_start: int) -> Section:
    n = len(lines)
    root = Section(None, 0, body_start, body_start, n + 1, n + 1)
    stack = [root]
    fence: str | None = None
    in_comment = False
    i = body_start - 1
    prev_blank = True
    while i < n:
        line = lines[i]
        if fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            i += 1
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            i += 1
            continue
        stripped = line.lstrip()
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            i += 1
            continue
        m_fence = _FENCE_OPEN.match(line)
        if m_fence:
            fence = m_fence.group(1)[:3]
            i += 1
            prev_blank = False
            continue
        level: int | None = None
        title = ""
        heading_line = i
        m = _ATX.match(line)
        if m and not line.startswith("#!"):
            level, title = len(m.group(1)), m.group(2).rstrip(" \t#").strip()
        elif (
            i + 1 < n
            and stripped
            and prev_blank
            and _SETEXT.match(lines[i + 1])
            and not line.startswith(("-", "*", "|", " " * 4))
            and (lines[i + 1].strip()[0] == "=" or len(stripped) <= 80)
        ):
            level, title = (1 if lines[i + 1].strip()[0] == "=" else 2), stripped
            i += 1
        else:
            level = _plain_heading(lines, i) if stripped else None
            title = stripped
        if level is None:
            prev_blank = not stripped
            i += 1
            continue
        while stack[-1].level >= level:
            done = stack.pop()
            done.end = heading_line + 1
        parent = stack[-1]
        if not parent.children:
            parent.own_end = heading_line + 1
        section = Section(title, level, heading_line + 1, i + 2, n + 1, n + 1)
        parent.children.append(section)
        stack.append(section)
        prev_blank = True
        i += 1
    for section in root.walk():
        if not section.children:
            section.own_end = section.end
    return root


Row = tuple[str | None, int, int, int, int, int]


def rows(root: Section) -> list[Row]:
    """Every section in walk order: (title, level, line, start, end, own_end)."""
    return [(s.title, s.level, s.line, s.start, s.end, s.own_end) for s in root.walk()]


def assert_same(lines: list[str], body_start: int) -> None:
    assert rows(scan(lines, body_start)) == rows(reference_scan(lines, body_start)), (lines, body_start)


# --- differential: generated bodies --------------------------------------------------------
# Pieces in and around every rule: blank and whitespace-only lines (str.strip strips
# Unicode whitespace, and "\x1c", "\x85", "\u2028" are not line breaks for split("\n")),
# ATX headings and near misses (no space, "#!", 7 "#"s, 4-space and tab indents, closing
# "#"s), setext underlines and near misses, lines a setext title may not start with,
# fences (with indents and info strings), comments (opened, closed, one-line, "<!-->"),
# plain titles (exact, decorated, padded, too long) and lines over 40 and 80 characters.
WS = ["", " ", "  ", "   ", "    ", "\t", "\u00a0", "\x1c", "\x1f", "\x85", "\u2028", "\u3000", " \t "]
PIECES = [
    *WS,
    "text",
    "Some words of a paragraph.",
    "# H",
    "## Training results",
    "#x",
    "#",
    "#!x",
    "##!x",
    "### Title ###",
    "###### six",
    "####### seven",
    "#\t",
    "# # #",
    "    # indented",
    "   # three",
    "\t# tab",
    "\u00a0# nbsp",
    "===",
    "---",
    "=",
    "-",
    " ---",
    "   ===",
    "    ---",
    "--- ",
    "==-",
    "= =",
    "\t---",
    "- a",
    "* b",
    "| a |",
    "|---|---|",
    "=x",
    "```",
    "~~~",
    "````",
    "```python",
    "   ```",
    "    ```",
    "\t```",
    "~~~~ x",
    "``",
    "<!--",
    "-->",
    "x -->",
    "<!-- x -->",
    "<!-->",
    "  <!-- open",
    "\u2028<!--",
    "<div>",
    "<img src='x'>",
    "Training Procedure",
    "**Training Results**",
    "Results",
    "results:",
    "  Results  ",
    "Model Description",
    "Framewor\u212a Versions",
    "Training hyperparameters ###",
    "Results " + " " * 50,
    "_" * 16 + "Results" + "_" * 17,  # 40 characters, key "results"
    "_" * 17 + "Results" + "_" * 17,  # 41
    "x" * 40,
    "x" * 41,
    "y" * 80,
    "y" * 81,
    "Intended uses & limitations of a model, here more than forty",
]
_line = st.one_of(
    st.sampled_from(PIECES),
    st.builds(lambda ws, p: ws + p, st.sampled_from(WS), st.sampled_from(PIECES)),
    st.builds(lambda p, ws: p + ws, st.sampled_from(PIECES), st.sampled_from(WS)),
    st.text(alphabet="#=-`~<!> \tx|*\u00a0", max_size=6),
)
# Runs of lines that make the rules meet: a region then what follows it, a title and its
# underline, a line between blank lines.
_run = st.one_of(
    st.lists(_line, min_size=1, max_size=3),
    st.tuples(
        st.sampled_from(["```", "~~~", "<!--", " <!-- x"]),
        _line,
        st.sampled_from(["```", "~~~", "-->", "x -->"]),
    ),
    st.tuples(
        st.one_of(_line, st.sampled_from(["y" * 81, "Title"])), st.sampled_from(["===", "---", " ---", "="])
    ),
    st.tuples(st.sampled_from(WS), _line, st.sampled_from(WS)),
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[list[str], int]:
    lines = [line for run in draw(st.lists(_run, max_size=12)) for line in run]
    body_start = draw(st.integers(1, len(lines) + 2))
    return lines, body_start


@settings(max_examples=1200)
@given(bodies())
def test_same_as_the_plain_scan(body: tuple[list[str], int]) -> None:
    assert_same(*body)


def test_whitespace_is_what_strip_strips() -> None:
    """The skip tests use str.lstrip / str.strip like the reference: both strip exactly
    str.isspace characters, "\\n" included, and "\\x1c".."\\x1f", "\\x85", "\\u2028" are
    whitespace that str.split("\\n") keeps inside a line."""
    for ch in ("\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "\u00a0", "\u3000"):
        assert ch.isspace()
        assert f"{ch}# H{ch}".strip() == "# H"
        assert len(f"a{ch}b".split("\n")) == 1
        assert_same(["a", ch, "Results", ch + " ", "b"], 1)
        assert_same(["", ch + "# H", ch + "```", "# in fence", "x", "```", "T", ch + "==="], 1)


def test_whitespace_is_every_isspace_character() -> None:
    """scan passes over a line at once unless its first character is in _NOT_ORDINARY,
    which holds WHITESPACE: every character str.strip strips must be in it."""
    import sys

    assert set(WHITESPACE) == {ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace()}


@pytest.mark.parametrize(
    "lines",
    [
        # where an ordinary line may be a title (``maybe``): after an empty or blank line,
        # a heading, a region, at the start; not after any other line
        ["para", "Title", "==="],
        ["para", "", "Title", "==="],
        ["para", "\u3000", "Title", "---"],
        ["para", " \t", "Results", " "],
        ["<b>x</b>", "Results", ""],
        ["<b>x</b>", "", "Results", ""],
        ["  indented", "Title", "---"],
        ["  indented", "Results", ""],
        ["```", "x", "```", "Results", ""],
        ["<!--", "-->", "Title", "==="],
        ["", "<!--", "-->", "Title", "==="],
        ["# A", "Results", ""],
        ["# A", "", "Results", ""],
        ["Title", "===", "Next", "---"],
        ["Title", "===", "Results", ""],
        ["- Results", ""],
        ["", "- Results", ""],
        ["", "- a", "- b"],
        ["", "* Title", "---"],
        ["", "| Title", "---"],
        ["", "Results", "", "Results", "x"],
        ["\u3000# H", "Title", "---"],
        ["```", "# not a heading", "```", "# A"],
        ["```", "# never closed"],
        ["<!--", "# hidden", "-->", "# A"],
        ["<!--", "# never closed"],
        ["", "<!--", "x -->", "Title", "---"],  # prev_blank survives a comment
        ["x", "<!--", "-->", "Title", "---"],  # (False too)
        ["```", "x", "```", "Title", "---"],  # a fence leaves prev_blank False
        ["# A", "Title", "==="],  # after a heading, prev_blank
        ["Title", "---", "---", "x"],  # the underline is consumed
        [" ---", "---"],
        ["---", "Results", ""],
        ["Results"],
        ["#!x", "", "Results", ""],
        ["x" * 2_000, "===", "y", "---"],
        ["line", "holding\n# a newline", "", "# H"],
    ],
)
def test_edges(lines: list[str]) -> None:
    for body_start in range(1, len(lines) + 2):
        assert_same(lines, body_start)


def test_body_start_is_one_based() -> None:
    with pytest.raises(ValueError, match="1-based"):
        scan(["# A"], 0)


# --- differential: the real corpus ---------------------------------------------------------
@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_every_corpus_card() -> None:
    for path in corpus_cards():
        src = read_source(path)
        assert_same(src.lines, _frontmatter.split(src.lines).body_start)


# --- exact values ----------------------------------------------------------------------------
CARD = """\
---
license: mit
---
# demo-model

Intro text.

## Training procedure

```python
# not a heading
```

<!--
## Hidden
-->

Training Results
----------------

More text.

Results

Framework versions
==================
- Transformers 4.30.2
"""


def test_exact_tree() -> None:
    lines = CARD.split("\n")
    root = scan(lines, 4)
    assert rows(root) == [
        (None, 0, 4, 4, 29, 4),
        ("demo-model", 1, 4, 5, 25, 8),  # own text: lines 5-7
        ("Training procedure", 2, 8, 9, 18, 18),  # the fenced and hidden "#"s are not headings
        ("Training Results", 2, 18, 20, 23, 23),  # setext, "-": level 2
        ("Results", 2, 23, 24, 25, 25),  # a plain title between blank lines
        ("Framework versions", 1, 25, 27, 29, 29),  # setext, "=": level 1
    ]
    assert [s.key for s in root.walk()][1:] == [
        "demo model",
        "training procedure",
        "training results",
        "results",
        "framework versions",
    ]


def test_plain_title_needs_blank_neighbours() -> None:
    assert rows(scan(["x", "", "Results", "", "y"], 1))[1:] == [("Results", 2, 3, 4, 6, 6)]
    assert rows(scan(["x", "Results", "", "y"], 1))[1:] == []
    # the line before the body counts: a front matter's closing "---" is not blank
    assert rows(scan(["---", "Results", ""], 2))[1:] == []
    assert rows(scan(["", "Results", ""], 2))[1:] == [("Results", 2, 2, 3, 4, 4)]


def test_no_body() -> None:
    assert rows(scan(["---", "a: 1", "---"], 4)) == [(None, 0, 4, 4, 4, 4)]
    assert rows(scan([], 1)) == [(None, 0, 1, 1, 1, 1)]
