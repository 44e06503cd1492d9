"""The cheap substring tests that skip costly regex searches never skip a match.

``_extract.intro`` only runs a case-insensitive search when the lowercased body holds a
piece of text every match must contain.  These tests keep the pieces in step with the
patterns: if a pattern stops containing its piece, the test says so.
"""

from __future__ import annotations

import re
import sys

import pytest

from modelcard_parser._extract import intro

PIECES = {
    "_LINK": ["-tuned ve"],
    "_PROSE_BASE": ["tuned "],
    "_DATASET_PHRASE": ["-tuned ve", "cratch"],
}
# The start of each pattern, from which every match contains one of its pieces.  When a
# pattern changes, update this and the pieces tested in _extract/intro.py together.
HEADS = {
    "_LINK": r"fine-tuned version of \[",
    "_PROSE_BASE": "(?:fine-tuned|finetuned) ",
    "_DATASET_PHRASE": r"(?:fine-tuned version of \[[^\[\]]*\]\([^()]*\)|trained from scratch)",
}


@pytest.mark.parametrize("name", sorted(PIECES))
def test_every_match_holds_a_piece(name: str) -> None:
    pattern: re.Pattern[str] = getattr(intro, name)
    assert pattern.pattern.startswith(HEADS[name]), f"update the prefilter of intro.{name}"
    assert pattern.flags & re.IGNORECASE
    head = re.compile(HEADS[name], re.IGNORECASE)
    for sample in ["Fine-Tuned version of [", "FINETUNED ", "fine-tuned ", "trained from SCRATCH"]:
        if head.match(sample):
            assert any(piece in sample.lower() for piece in PIECES[name]), (name, sample)


def test_ignorecase_matches_what_lower_maps() -> None:
    """For the letters of the pieces, re.IGNORECASE and str.lower() agree on every code point."""
    letters = set("".join(p for pieces in PIECES.values() for p in pieces))
    assert not letters & {"i", "s", "k"}  # those have extra case-insensitive matches ("ı", "ſ", "K")
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    matched = re.findall("[" + re.escape("".join(sorted(letters))) + "]", everything, re.IGNORECASE)
    assert {ch.lower() for ch in matched} == letters


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
