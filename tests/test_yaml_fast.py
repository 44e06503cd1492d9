"""The fast paths of ``_yaml.load`` give exactly what the bounded composer gives: the libyaml
composer path, and the line-based subset loader (``_yaml_lines``) tried before it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import modelcard_parser._yaml as yaml_mod
import modelcard_parser._yaml_lines as lines_mod
from modelcard_parser._source import DEFAULT_LIMITS, Limits
from tests._cards import KERAS, TRAINER
from tests.conftest import corpus_cards

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
    return (
        _typed(res.data),
        res.positions,
        list(res.positions),  # the same order too
        [d.model_dump() for d in res.diagnostics],
        res.ok,
    )


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


# --- the line-based subset loader ---------------------------------------------------


def _without_lines(text: str, limits: Limits) -> Any:
    """``_outcome`` through the libyaml and bounded paths only."""
    saved = lines_mod.load_lines
    lines_mod.load_lines = lambda *args: None
    try:
        return _outcome(text, limits)
    finally:
        lines_mod.load_lines = saved


def _check_lines(text: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    """The same outcome with and without the line loader; whether it read ``text``."""
    assert _outcome(text, limits) == _without_lines(text, limits), text
    tried = yaml_mod.YamlResult()
    return lines_mod.load_lines(yaml_mod._untab(text, 2, tried), 2, limits) is not None


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_every_corpus_front_matter() -> None:
    from modelcard_parser import _frontmatter
    from modelcard_parser._api import read_source

    read = total = 0
    for path in corpus_cards():
        src = read_source(path)
        for block in _frontmatter.split(src.lines, had_bom=src.had_bom).blocks:
            read += _check_lines("\n".join(block.lines))
            total += 1
    # 274 of 279 when written: the rest hold escapes in double quotes, a block scalar,
    # a value starting with "@", a tab.
    assert read >= 0.95 * total, (read, total)


@pytest.mark.parametrize(
    "text",
    [
        TRAINER.split("---\n")[1],
        KERAS.split("---\n")[1],
        "a: 1\nb: yes\nc: on\nd: ~\ne:\nf: 2021-01-01\ng: 1e-05\nh: 2e-5\ni: .5\nj: 0x1F\nk: 1_000\n",
        "a:\n- x\n- y\nb: 2",  # a sequence at its key's indentation
        "a:\n  - x\n  -\n  - - y\n    - z\n",
        "- a: 1\n  b: 2\n- c:\n    d: 3\n-   e: 4\n    f: 5\n",
        "a: b # comment\n# full line\n\n  # indented comment\nc: 'q # not a comment' # c\n",
        "a: 'it''s'\nb: \"dq 'x'\"\nc: ''\nd: []\ne: {}\n",
        "a: 1\na: 2\nb:\n  c: 1\nb:\n  d: 2\n",  # duplicates: MC122, last kept, re-positioned
        "tags:\n- a\n- b\n  c\n\n  d\n- e\n",  # a plain scalar folded over lines
        "a: long text\n    goes on\n\n\n    and on\nb:\n  text alone\n  on two lines\n",
        "- 'quoted over\n\n  lines '' here'\n- \"double\n  quoted\"  # c\n",
        # continuation lines are read as text whatever they start with
        "a: b\n  - c\n  'd'\n  [e]\n  &f *g !h |i >j %k @l `m ? n\n  http://o\n  p#q\n",
        "- a:\n  # comment\n    b: 1\n- # comment\n  c: 2\n-\n   d\n  e\n",
        "a:b: c\nhttp://x: y\nk: a:b\nl: C#\nm: 100%\nn: x - y\no: -1\np: -x\n",
        "  a: 1\n  b: 2\n",  # a root mapping indented
        "C#:\n  x: 1\nC# 2: 'y'\n",
        "- 1\n- 2\n",  # a root sequence (MC121 later)
        "é: 日本\n",
        "a:\tb\n",  # _untab makes the tab a space (MC125)
        # lines _shape refuses as a "- value" or a key, read as a plain scalar going on
        "a: b\n  - <<\n  - " + "1" * 1001 + "\n  - 1" + ":59" * 200 + ".5\nc: d\n",
        "- x\n  - <<\n",
        "a: b\u00a0c\nd: \u3000\n",  # not printable to Python, fine to YAML
        "k: " + "v" * 300 + "\nl:\n" + ("- " + "w" * 300 + "\n") * 2,  # lines too long to memoise
    ],
)
def test_documents_the_line_loader_reads(text: str) -> None:
    assert _check_lines(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "just a scalar\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: |\n  text\n",
        "a: >\n  text\n",
        "a: [1, 2]\n",
        "a: {b: 1}\n",
        '"a": 1\n',
        "'a': 1\n",
        "? a\n: 1\n",
        "<<: {a: 1}\n",
        "a: <<\n",
        "---\na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\n\tb: 2\n",
        "a: x\t\n",  # a tab _untab leaves
        "a: b\r\nc: d\n",
        "a: b\u2028c\n",
        "a: \ufeffb\n",
        "a: \x07\n",
        'a: "esc\\n"\n',
        "a: b: c\n",
        "a: b:\n",
        "a: b\n  c: d\n",  # an error
        "a: b\n  c # comment\n",  # a continuation the subset leaves out
        "a: 'unclosed\n",
        "a: 'quoted\nless indented'\n",  # fine to YAML, outside the subset
        "a: 'quoted\n  over lines' b\n",  # an error
        "  a: 1\nb: 2\n",  # an error
        "a: 'x' y\n",
        "a: @x\n",
        "a: `x`\n",
        "a: %x\n",
        "a: ,x\n",
        "a: " + "1" * 1001 + "\n",  # MC126
        "a: 1" + ":59" * 200 + ".5\n",  # a base-60 float too large: MC126
        "k" * 1100 + ": v\n",  # longer than a simple key may be
        "a:\n  b: 1\n c: 2\n",  # an error
        "- a\nb: 1\n",  # an error
        "a: 1\n- b\n",  # an error
        "x\na: 1\n",
        "a:\n  - <<\n",  # (the same lines, not going on a plain scalar)
        "a:\n  - " + "1" * 1001 + "\n",
        "a:\n  - 1" + ":59" * 200 + ".5\n",
        "a: b\n  <<: c\n",
        "a: b\n  - c:\n",
        "a: b\u2029c\n",
        "a: b\ufeff\n",
        "a: \ud800\n",
        "a: \x85\n",
    ],
)
def test_documents_left_to_the_other_paths(text: str) -> None:
    assert not _check_lines(text)


def test_path_resolvers_are_left_to_the_other_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """(A path resolver would make tags depend on where a node is: left to the others.)"""
    monkeypatch.setattr(yaml_mod._Loader, "yaml_path_resolvers", {("x",): "y"})
    assert lines_mod.load_lines("a: 1\n", 2, DEFAULT_LIMITS) is None


def test_many_different_values() -> None:
    """The memo of typed scalars is bounded (cleared when full)."""
    text = "".join(f"k{i}: v{i}\n" for i in range(5000))
    assert _check_lines(text)
    assert len(lines_mod._TYPED) <= 4096


def test_every_character_is_judged_as_the_search_does() -> None:
    """``_inside`` (bytes.translate for ASCII, str.isprintable first for the rest) says
    what ``_OUTSIDE_CHARS`` says, for every code point."""
    search, inside = lines_mod._OUTSIDE_CHARS.search, lines_mod._inside
    every = "".join(map(chr, range(0x110000)))
    printable = "".join(filter(str.isprintable, every))
    assert search(printable) is None  # what the shortcut rests on: all of these are allowed
    refused = lines_mod._OUTSIDE_CHARS.findall(every)
    allowed = lines_mod._OUTSIDE_CHARS.sub("", every)
    assert len(refused) + len(allowed) == len(every)
    assert "\t" in refused
    assert "\n" not in refused
    assert "\xa0" not in refused
    for char in refused:
        for text in ("é\n" + char, "a: b\n" + char + "c", char):
            assert not inside(text), hex(ord(char))
    # the allowed ones: ASCII, printable to Python, the others (read by the search)
    assert inside(allowed[:96])
    assert inside(printable)
    assert inside("".join(itertools.filterfalse(str.isprintable, allowed)))
    assert inside(allowed)


def _memo_cases() -> list[str]:
    """Documents whose lines turn up in other roles in the others (a "- value" as an item
    and going on a plain scalar, a key line as a key and going on a plain scalar)."""
    lines = ["- <<", "- " + "1" * 1001, "- 1" + ":59" * 200 + ".5", "- x y", "- 1", "<<: c", "a: b"]
    lines += ["k:", "- k: v", "- k:", "v", "- 'q'", "k: 1e-05", "- 2021-01-01", "- " + "z" * 300]
    docs = []
    for line in lines:
        docs += [f"a:\n  {line}\n", f"a: b\n  {line}\n", f"- a\n  {line}\n", f"a: 'b\n  {line}'\n"]
        docs += [f"{line}\n", f"{line}\nb: 1\n", f"- {line}\n  {line}\n"]
    return docs


def _lines_outcome(text: str) -> Any:
    res = lines_mod.load_lines(text, 2, DEFAULT_LIMITS)
    return None if res is None else (_typed(res.data), list(res.positions.items()), res.diagnostics)


def test_the_line_memo_changes_nothing() -> None:
    """The memo of line shapes (and of typed scalars) kept across documents: each document
    reads the same with both memos empty and after the others filled them, in any order."""
    docs = _memo_cases()
    fresh = []
    for text in docs:
        lines_mod._SHAPES.clear()
        lines_mod._TYPED.clear()
        fresh.append(_lines_outcome(text))
    for order in (docs, docs[::-1], docs[1::2] + docs[::2]):
        for text in order:
            assert _lines_outcome(text) == fresh[docs.index(text)], text
    for text in docs:
        _check_lines(text)
    assert all(len(line) <= lines_mod._MEMO_TEXT for line in lines_mod._SHAPES)


@pytest.mark.corpus
@pytest.mark.skipif(not corpus_cards(), reason="../shared/corpus is not present")
def test_corpus_front_matters_read_the_same_with_a_fresh_memo() -> None:
    from modelcard_parser import _frontmatter
    from modelcard_parser._api import read_source

    texts = []
    for path in corpus_cards():
        src = read_source(path)
        texts += ["\n".join(b.lines) for b in _frontmatter.split(src.lines, had_bom=src.had_bom).blocks]
    warm = [_lines_outcome(text) for text in texts]
    for text, outcome in zip(texts, warm, strict=True):
        lines_mod._SHAPES.clear()
        assert _lines_outcome(text) == outcome
    assert sum(outcome is not None for outcome in warm) >= 0.95 * len(texts)


@pytest.mark.parametrize("depth", range(1, 9))
def test_compact_mappings_at_the_depth_limit(depth: int) -> None:
    """``- key: value`` items (read without ``_Reader.value``) stop at the same depth."""
    text = "k:\n- a: 1\n  b:\n  - c: 2\n    d:\n    - - e: 3\n        f: 4\n"
    _check_lines(text, Limits(max_yaml_depth=depth))
    chain = "- " * depth + "a: 1\n" + "  " * depth + "b: 2\n"
    _check_lines(chain, Limits(max_yaml_depth=4))
    assert _check_lines(chain)


def test_limits_are_left_to_the_other_paths() -> None:
    deep = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(8)) + " " * 16 + "v: 1\n"
    assert _check_lines(deep)
    assert not _check_lines(deep, Limits(max_yaml_depth=5))
    many = "".join(f"k{i}: {i}\n" for i in range(50))
    assert _check_lines(many)
    assert not _check_lines(many, Limits(max_yaml_nodes=100))
    assert not _check_lines("- " * 60 + "x\n")  # deeper than the line loader recurses


# Documents rendered in block style from random trees (so most are in the subset), with
# scalars from in and around the subset, random layout choices (indentless or indented
# sequences, compact entries, indentation widths, comments, blank lines, trailing
# spaces, plain scalars folded over lines at good and bad indentations), and random
# damage (a line shifted, a tab, a stray line).
GOOD_KEYS = ["a", "b", "key", "on", "yes", "1", "x y", "a#b", "k:k", "é", "~", "k-2"]
BAD_KEYS = ["<<", "-k", "'q'", '"d"', "?k", "[k]", "...", "&k", "!k"]
KEYS = GOOD_KEYS + BAD_KEYS
GOOD = [  # values the line loader reads (typed as YAML 1.1 does)
    *["a", "hello world", "x - y", "a  b", "é 日本", "=", "C#", "100%", "a:b", "http://x.y/z"],
    *["the power is real", "one two three four", "a 'b' \"c\" d", "x #y", "-x y", "1 2"],
    *["yes", "on", "No", "true", "FALSE", "~", "null", "", "0", "00", "017", "0o17", "0b101", "0x1F"],
    *["1_000", "12.5", "-3", "-0.0", "+1", ".5", "1e-05", "2e-5", "1.0e+5", ".inf", "-.inf", ".NaN"],
    *["1:20", "190:20:30.15", "2021-01-01", "2001-12-14t21:59:43.10-05:00", "-1", "-x"],
    *["'q'", "'it''s'", "' x '", "''", "'a: b # c'", "'two words'", '"d"', '""', '"#x"', "[]", "{}"],
]
BAD = [  # values it leaves to the other paths
    *["1" * 1001, '"a\\"b"', "<<", "a: b", "a #b", "[a, b]", "{a: 1}", "&x a", "*x", "!!str a"],
    *["!t a", "|", ">-", "- x", "-", "---", "...", "@x", "`x`", "%x", "?x", "? x", ":x", ",x", "a\tb"],
]
SCALARS = GOOD + BAD
STRAY = ["", "  ", "# c", "  # c", "-", "- x", "x", "---", "\t", "a: 1", "  b:", "...", "? x", ": y"]

Tree = Any  # a scalar as written, a list (a sequence) or a tuple of pairs (a mapping)


def _trees() -> st.SearchStrategy[Tree]:
    scalars = st.sampled_from(GOOD * 6 + BAD)
    keys = st.sampled_from(GOOD_KEYS * 6 + BAD_KEYS)
    return st.recursive(
        scalars,
        lambda kids: st.one_of(
            st.lists(kids, min_size=1, max_size=4),
            st.lists(st.tuples(keys, kids), min_size=1, max_size=4).map(tuple),
        ),
        max_leaves=24,
    )


class _Render:
    def __init__(self, rnd: Any) -> None:
        self.rnd = rnd
        self.lines: list[str] = []

    def chance(self, p: float) -> bool:
        # (Hypothesis draws small numbers first: make those the usual layout, not the rare one.)
        return bool(self.rnd.random() >= 1 - p)

    def scalar(self, head: str, value: str, minimum: int) -> None:
        """``head`` (indentation, "- ", "key:") then ``value``, maybe folded over lines
        indented about ``minimum``."""
        if value and self.chance(0.05):  # the value alone on the next line
            self.lines.append(head)
            head = " " * max(0, minimum + self.rnd.choice([1, 0, 2, -1]))
        words = value.split(" ")
        if len(words) > 1 and self.chance(0.3):
            first, rest = words[0], words[1:]
            self.lines.append(f"{head} {first}".rstrip(" ") if head.strip() else head + first)
            for word in rest:
                if self.chance(0.2):
                    self.lines.append(" " * self.rnd.choice([0, 1, 3]))
                self.lines.append(" " * max(0, minimum + self.rnd.choice([3, 0, 1, -1])) + word)
            return
        line = head + value if not head.strip() else f"{head} {value}" if value else head
        if self.chance(0.1):
            line += self.rnd.choice([" # c", "  #c", " ", "  "])
        self.lines.append(line)

    def node(self, tree: Tree, indent: int, head: str, minimum: int) -> None:
        """Write ``tree`` as the value of ``head`` (the start of its first line)."""
        if isinstance(tree, str):
            self.scalar(head, tree, minimum)
            return
        width = self.rnd.choice([2, 1, 4, 3])
        if isinstance(tree, list):
            compact = head.endswith("-") and self.chance(0.5)
            if head.endswith(":") and self.chance(0.5):
                column = indent  # "key:" then "- a" at the key's indentation
            else:
                column = len(head) + 1 if compact else indent + width
            if not compact:
                self.lines.append(head)
            for i, item in enumerate(tree):
                start = f"{head} -" if compact and i == 0 else " " * column + "-"
                self.node(item, column + 2, start, column + 1)
            return
        compact = head.endswith("-") and self.chance(0.6)
        column = len(head) + 1 if compact else indent + width
        if not compact:
            self.lines.append(head)
        for i, (key, value) in enumerate(tree):
            start = f"{head} {key}:" if compact and i == 0 else " " * column + f"{key}:"
            self.node(value, column + 2, start, column + 1)

    def document(self, tree: Tree) -> str:
        if isinstance(tree, str):
            tree = (("k", tree),)
        column = self.rnd.choice([0, 1])
        if isinstance(tree, list):
            for item in tree:
                self.node(item, column + 2, " " * column + "-", column + 1)
        else:
            for key, value in tree:
                self.node(value, column + 2, " " * column + f"{key}:", column + 1)
        lines = self.lines
        for _ in range(self.rnd.choice([0, 0, 0, 0, 0, 0, 1, 2])):
            i = self.rnd.randrange(len(lines) + 1)
            what = self.rnd.random()
            if what < 0.4 or i == len(lines):
                lines.insert(i, self.rnd.choice(STRAY))
            elif what < 0.7:
                lines[i] = " " + lines[i] if self.chance(0.5) else lines[i][1:]
            else:
                lines[i] = lines[i].replace(" ", "\t", 1)
        return "\n".join(lines) + self.rnd.choice(["", "\n"])


LIMITS = st.sampled_from([DEFAULT_LIMITS, DEFAULT_LIMITS, Limits(max_yaml_nodes=40, max_yaml_depth=4)])


@settings(max_examples=1200, deadline=None)
@given(_trees(), st.randoms(use_true_random=False), LIMITS)
def test_rendered_documents_read_the_same(tree: Tree, rnd: Any, limits: Limits) -> None:
    text = _Render(rnd).document(tree)
    _check_lines(text, limits)


# Line soup: lines from pieces in and around the subset, in any order.
INDENTS = ["", "", " ", "  ", "    "]
PREFIXES = ["", "", "- ", "-  ", "- - ", "-"]
BODIES = [f"{k}: {v}".rstrip(" ") for k in ["a", "b", "a"] for v in SCALARS[::3]] + [
    *[f"{k}:" for k in KEYS],
    *SCALARS[::2],
    *STRAY,
    "a: x # c",
    "a: 'x' # c",
    "a: 'open",
    "close' # c",
    'b: "open',
    'close"',
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(INDENTS), st.sampled_from(PREFIXES), st.sampled_from(BODIES)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["", " ", "\n"]),
)
def test_line_soup_reads_the_same(lines: list[tuple[str, str, str]], end: str) -> None:
    text = "\n".join(i + p + b for i, p, b in lines) + end
    _check_lines(text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"-?[0-9]{1,20}\.[0-9]{1,20}", fullmatch=True))
def test_the_decimal_shortcut_types_as_the_resolver_does(text: str) -> None:
    lines_mod._TYPED.clear()
    assert _typed(lines_mod._plain(text)) == _without_lines(f"a: {text}\n", DEFAULT_LIMITS)[0][1][0][1]
