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
