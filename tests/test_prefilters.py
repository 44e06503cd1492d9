"""The cheap substring tests that skip costly regex searches never skip a match.

``_extract.intro`` tries its case-insensitive patterns only where the lowercased body
holds a piece of text every match holds at a known offset (``intro.ANCHORS``), and
``_extract.results`` parses only sections whose lines may hold a results header.  These
tests keep the pieces in step with the patterns and compare with the plain searches.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
            low = sample.lower()
            assert any(low[back : back + len(piece)] == piece for piece, back in intro.ANCHORS[name]), sample
    assert matched >= 2


def test_ignorecase_matches_what_lower_maps() -> None:
    """For the letters of the pieces, re.IGNORECASE and str.lower() agree on every code point."""
    letters = {
        ch for anchors in intro.ANCHORS.values() for piece, _ in anchors for ch in piece if ch.isalpha()
    }
    assert not letters & {"i", "s", "k"}  # those have extra case-insensitive matches ("ı", "ſ", "K")
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = re.findall("[" + re.escape("".join(sorted(letters))) + "]", everything, re.IGNORECASE)
    assert {ch.lower() for ch in matched} == letters


PIECES = [
    "fine-tuned version of [a](b) on the x dataset.",
    "Fine-Tuned Version Of [",
    "fıne-tuned version of [m](u) on the d dataset.",
    "trained from scratch on the y datasets.",
    "traıned from ſcratch on z dataset.",
    "finetuned from the org/m model",
    "fine-tuned on the m model",
    "İ",
    "This model ",
    "This model is a fine-tuned version of [a](b) on an unknown dataset.",
    "This model was trained from scratch on the None dataset.",
    "\n",
    " ",
    "-tuned ve",
    "cratch",
    "tuned ",
    "x",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_anchored_search_is_search(pieces: list[str]) -> None:
    text = "".join(pieces)
    low = text.lower()
    for name, anchors in intro.ANCHORS.items():
        pattern: re.Pattern[str] = getattr(intro, name)
        fast, slow = intro.anchored_search(pattern, text, low, anchors), pattern.search(text)
        assert (fast and (fast.span(), fast.groupdict())) == (slow and (slow.span(), slow.groupdict())), name
    assert intro._writer_intro(text) == bool(intro._WRITER_INTRO.search(text))


def test_anchored_search_on_every_card() -> None:
    texts = [text for text in _cards() if text]
    for text in texts:
        low = text.lower()
        for name, anchors in intro.ANCHORS.items():
            pattern: re.Pattern[str] = getattr(intro, name)
            fast, slow = intro.anchored_search(pattern, text, low, anchors), pattern.search(text)
            assert (fast and fast.span()) == (slow and slow.span()), name
        assert intro._writer_intro(text) == bool(intro._WRITER_INTRO.search(text))


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
    from modelcard_parser import parse_raw

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
