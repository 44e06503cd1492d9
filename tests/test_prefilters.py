"""The cheap substring tests that skip costly regex searches never skip a match.

``_extract.intro`` tries its case-insensitive patterns only where the ASCII-lowercased
body holds a piece of text every match holds at a known offset (``intro.ANCHORS``), and
``_extract.results`` parses only sections whose lines may hold a results header.  These
tests keep the pieces in step with the patterns and compare with the plain searches.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import parse_raw
from modelcard_parser._extract import intro

# The start of each pattern, from which every match holds one of its anchors' pieces at
# the anchor's offset.  When a pattern changes, update this and intro.ANCHORS together.
HEADS = {
    "_LINK": r"fine-tuned version of \[",
    "_PROSE_BASE": "(?:fine-tuned|finetuned) ",
    "_DATASET_PHRASE": r"(?:fine-tuned version of \[[^\[\]]*\]\([^()]*\)|trained from scratch)",
}
SAMPLES = [
    "Fine-Tuned version of [",
    "FINETUNED ",
    "fine-tuned ",
    "fıne-tuned version of [",
    "trained from SCRATCH",
    "traıned from ſcratch",
]


@pytest.mark.parametrize("name", sorted(intro.ANCHORS))
def test_every_match_holds_an_anchor(name: str) -> None:
    pattern: re.Pattern[str] = getattr(intro, name)
    assert pattern.pattern.startswith(HEADS[name]), f"update intro.ANCHORS[{name!r}]"
    assert pattern.flags & re.IGNORECASE
    head = re.compile(HEADS[name], re.IGNORECASE)
    matched = 0
    for sample in SAMPLES:
        if head.match(sample):
            matched += 1
            low = intro.ascii_lower(sample)
            assert any(low[back : back + len(piece)] == piece for piece, back in intro.ANCHORS[name]), sample
    assert matched >= 2


def test_ignorecase_matches_only_ascii() -> None:
    """What re.IGNORECASE matches to a piece's character is ASCII, and bytes.lower() maps it
    to that character: so the ASCII-lowercased body holds the piece wherever a match does."""
    chars = {chr(c) for anchors in intro.ANCHORS.values() for piece, _ in anchors for c in piece}
    assert not chars & {"i", "s", "k"}  # those have extra case-insensitive matches ("ı", "ſ", "K")
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    for ch in chars:
        matched = set(re.findall(re.escape(ch), everything, re.IGNORECASE))
        assert matched == {ch, ch.upper()}, ch
        assert {m.encode("ascii").lower() for m in matched} == {ch.encode("ascii")}


def test_ascii_lower_keeps_offsets() -> None:
    text = "\u0130x \u017f \u212a\ud800 \u01c4 \u00e9\u2019\U0001f600\x00TUNED "  # İ ſ K(elvin) Ǆ é ’ 😀
    low = intro.ascii_lower(text)
    assert len(low) == len(text)
    assert low == b"?x ? ?? ? ???\x00tuned "
    assert len(text.lower()) == len(text) + 1  # (what str.lower() would have shifted: "İ")


def test_placeholder_texts_are_what_the_pattern_matches() -> None:
    spellings = {f"More {i}nformation {n}eeded" for i in "Ii" for n in "Nn"}
    assert {t.strip("[]") for t in intro.PLACEHOLDER_TEXTS} == spellings
    for text in intro.PLACEHOLDER_TEXTS:
        assert intro._PLACEHOLDER.match(text)


WS = [" ", "\t", "\u00a0", "\x1c", "\x85", "\u2028", "\u3000", "\x0b"]
PLACEHOLDER_PIECES = [
    *WS,
    "[",
    "]",
    "More information needed",
    "More Information Needed",
    "more information needed",
    "More  information needed",
    "More information",
    "x",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PLACEHOLDER_PIECES), max_size=6))
def test_placeholder_set_is_the_pattern(pieces: list[str]) -> None:
    """A line is a placeholder by the set exactly when _PLACEHOLDER matches it."""
    line = "".join(pieces)
    assert (line.strip() in intro.PLACEHOLDER_TEXTS) == bool(intro._PLACEHOLDER.match(line)), line


PIECES = [
    "fine-tuned version of [a](b) on the x dataset.",
    "Fine-Tuned Version Of [",
    "fıne-tuned version of [m](u) on the d dataset.",
    "trained from scratch on the y datasets.",
    "traıned from ſcratch on z dataset.",
    "finetuned from the org/m model",
    "fine-tuned on the m model",
    "**Finetuned from model :** org/m",
    "**FINETUNED from model:**x",
    "**fınetuned from model:** y",
    "İ",
    "é",
    "’",
    "😀",
    "\ud800",
    "This model ",
    "This model is a fine-tuned version of [a](b) on an unknown dataset.",
    "This model was trained from scratch on the None dataset.",
    "This model was trained from scratch",
    "This model was trained from SCRATCH",
    "\n",
    " ",
    "-tuned ve",
    "cratch",
    "tuned ",
    "TUNED ",
    "x",
]


def _same(text: str) -> None:
    anchored = intro.Anchored(text)
    for name, anchors in intro.ANCHORS.items():
        pattern: re.Pattern[str] = getattr(intro, name)
        fast, slow = anchored.search(pattern, anchors), pattern.search(text)
        assert (fast and (fast.span(), fast.groupdict())) == (slow and (slow.span(), slow.groupdict())), name
    assert intro._writer_intro(text) == bool(intro._WRITER_INTRO.search(text))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_anchored_search_is_search(pieces: list[str]) -> None:
    _same("".join(pieces))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_trained_from_scratch_is_the_sentence(pieces: list[str]) -> None:
    """extract_intro finds the sentence through the places of "cratch": the same answer as
    looking for it in the body."""
    body = "x\n" + "".join(pieces)  # (a first line that opens no front matter)
    assert parse_raw(body).trained_from_scratch == (intro._SCRATCH in body)


def test_anchored_search_on_every_card() -> None:
    texts = [text for text in _cards() if text]
    for text in texts:
        _same(text)


PIPELESS_CARD = """# m

## Training results

Training Loss  Epoch  Step  Validation Loss
|---|---|---|---|
| 0.5 | 1.0 | 10 | 0.4 |

## Other

* Samples:
  | sentence | label |
  |:---|:---|
  | a | 1 |
"""


def _results(text: str) -> list[tuple[list[str], int]]:
    return [(t.header, t.line) for t in parse_raw(text).results_tables]


def _cards() -> list[str]:
    from tests.conftest import FIXTURES, corpus_cards

    paths = sorted((FIXTURES / "cards").glob("*.md")) + corpus_cards()
    return [PIPELESS_CARD] + [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def test_results_prefilter_skips_no_results_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every results table found with the section prefilter is found without it, and back."""
    from modelcard_parser._extract import results

    assert _results(PIPELESS_CARD) == [(["Training Loss", "Epoch", "Step", "Validation Loss"], 5)]
    filtered = [_results(text) for text in _cards()]
    monkeypatch.setattr(results, "_may_hold_table", lambda body, start, end: True)
    assert [_results(text) for text in _cards()] == filtered
    assert sum(map(len, filtered)) > 3


FRAMEWORK_PIECES = [
    "- Transformers 4.1",
    "* torch 2.0",
    "  •  **PEFT** 0.1",
    "-transformers",
    "x",
    "\n",
    " ",
    "\t",
    "- trl",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(FRAMEWORK_PIECES), max_size=8))
def test_framework_line_search_is_a_per_line_match(pieces: list[str]) -> None:
    """The body-wide search for framework lines finds the lines a per-line match finds."""
    from modelcard_parser._extract import framework

    text = "".join(pieces)
    per_line = [n for n, line in enumerate(text.split("\n"), start=1) if framework._CHEAP_FIRST.match(line)]
    first = [1] if framework._CHEAP_FIRST.match(text) else []
    found = first + [text.count("\n", 0, m.start()) + 2 for m in framework._CHEAP.finditer(text)]
    assert found == per_line
