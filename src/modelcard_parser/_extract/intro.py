"""The title, the fine-tuned-from link, the dataset phrase and the generator markers.

These are cheap regular expressions over the body text; no markdown parse is needed.
"Trained from scratch" and "the None dataset" are generator artefacts, not facts
(FORMATS.md 1.2): the first only sets a flag, the second names no dataset.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..raw import RawCard, RawField
from ._body import Body

# "[^\[\]]" and "[^()]" (not "[^\]]", "[^)]"): each match attempt stops at the next bracket,
# so a line repeating "fine-tuned version of [" is read in linear time, not quadratic.
_LINK = re.compile(r"fine-tuned version of \[(?P<text>[^\[\]]*)\]\((?P<url>[^)\s]*)\)", re.IGNORECASE)
_HF = re.compile(r"https?://huggingface\.co/")
_PROSE_BASE = re.compile(r"(?:fine-tuned|finetuned) (?:on|from) the (?P<id>[\w./-]+) model", re.IGNORECASE)
_UNSLOTH_BASE = re.compile(r"\*\*Finetuned from model\s*:\*\*\s*(?P<id>\S+)", re.IGNORECASE)
_DATASET_PHRASE = re.compile(
    r"(?:fine-tuned version of \[[^\[\]]*\]\([^()]*\)|trained from scratch)"
    r" on (?P<phrase>.{1,500}?) datasets?\.",
    re.IGNORECASE,
)
_THE = re.compile(r"(?:,\s*|(?<!\s)\s+and\s+)?the\s+")  # (?<!\s): one try per run of spaces
_MARKERS = {
    "trainer_comment": "according to the information the Trainer had access to",
    "keras_comment": "according to the information Keras had access to",
    "hp_sentence": "The following hyperparameters were used during training",
    "trl_template": "It has been trained using [TRL]",
    "setfit_template": "This is a [SetFit](",
    "sentence_transformers_template": "This is a [sentence-transformers](",
}
# The intro sentence exactly as transformers' card writer words it (both dialects); TRL,
# SetFit and sentence-transformers templates word theirs differently.
_WRITER_INTRO = re.compile(
    r"^This model (?:is a fine-tuned version of \[[^\]\n]*\]\([^)\s]*\)|was trained from scratch) "
    r"on (?:an unknown|an unkown|the .+?) datasets?\.[ \t]*$",
    re.MULTILINE,
)
_PLACEHOLDER = re.compile(r"^\s*\[?More [Ii]nformation [Nn]eeded\]?\s*$")
# What _PLACEHOLDER matches on a line (no newline), as a set of its stripped texts: "\s" is
# what str.strip strips; then an optional "[" and "]" round one of four spellings.
PLACEHOLDER_TEXTS = frozenset(
    f"{left}More {i}nformation {n}eeded{right}"
    for left in ("", "[")
    for right in ("", "]")
    for i in "Ii"
    for n in "Nn"
)

# Where a match of each costly case-insensitive pattern can start: (a piece every match
# holds, its offset from the match's start).  re.IGNORECASE cannot skip ahead to a
# literal, so a search tries every character of the body; finding the piece in the
# lowercased body first is a C-speed scan.  Every character that re.IGNORECASE matches to
# a piece's character is ASCII (no i, s or k: those also match "ı", "ſ" and "K"), so the
# body is lowered as ASCII bytes (ascii_lower), and what comes before a piece has a fixed
# length ("fine", "trained from s").  The patterns share the piece "tuned ": the
# body is scanned for it once.  tests/test_prefilters.py keeps these in step with the
# patterns.
Anchors = tuple[tuple[bytes, int], ...]
ANCHORS: dict[str, Anchors] = {
    "_LINK": ((b"tuned ", 5),),
    "_PROSE_BASE": ((b"tuned ", 5), (b"tuned ", 4)),
    "_DATASET_PHRASE": ((b"tuned ", 5), (b"cratch", 14)),
}
_SCRATCH = "This model was trained from scratch"
_SCRATCH_PIECE = _SCRATCH.index("cratch")


def ascii_lower(text: str) -> bytes:
    """``text`` with its ASCII letters lowercased, one byte per character.

    Every other non-ASCII character becomes "?" (``str.encode``'s "replace" works per
    code point), so an offset in the bytes is the same offset in ``text``.  For ASCII
    text this costs about what ``text.lower()`` does; for the rest it is several times
    cheaper, and no character (such as "İ") lowers to two.
    """
    return text.encode("ascii", "replace").lower()


class Anchored:
    """``pattern.search(text)`` for the patterns of ANCHORS, tried only where an anchor's
    piece is in ``ascii_lower(text)``; each piece is looked for once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.low = ascii_lower(text)
        self._found: dict[bytes, list[int]] = {}

    def positions(self, piece: bytes) -> list[int]:
        """Every offset of ``piece`` in the lowered text, in order."""
        found = self._found.get(piece)
        if found is None:
            found = self._found[piece] = []
            low = self.low
            pos = low.find(piece)
            while pos != -1:
                found.append(pos)
                pos = low.find(piece, pos + 1)
        return found

    def search(self, pattern: re.Pattern[str], anchors: Anchors) -> re.Match[str] | None:
        """The first start (leftmost) that matches is what ``pattern.search`` returns."""
        starts = {pos - back for piece, back in anchors for pos in self.positions(piece) if pos >= back}
        for start in sorted(starts):
            m = pattern.match(self.text, start)
            if m:
                return m
        return None


def _writer_intro(text: str) -> bool:
    """``_WRITER_INTRO.search(text)``: tried only at lines starting "This model "."""
    pos = text.find("This model ")
    while pos != -1:
        if (pos == 0 or text[pos - 1] == "\n") and _WRITER_INTRO.match(text, pos):
            return True
        pos = text.find("This model ", pos + 1)
    return False


def _datasets(phrase: str, line: int) -> list[RawField]:
    if phrase.lower().startswith(("an unknown", "an unkown", "unknown")):
        return []
    names = [p.strip() for p in _THE.split(phrase) if p.strip()]
    return [RawField("dataset", n, line) for n in names if n != "None"]


def extract_intro(body: Body, raw: RawCard) -> None:
    """Title, base-model link, dataset phrase, markers and placeholders."""
    text = body.text
    anchored = Anchored(text)
    for name, needle in _MARKERS.items():
        if needle in text:
            raw.markers.add(name)
    for section in body.sections:
        if section.level == 1 and section.title is not None:
            raw.title = RawField("#", section.title, section.line)
            break

    m = anchored.search(_LINK, ANCHORS["_LINK"])
    if m:
        url = m.group("url")
        model_id = _HF.sub("", url, count=1) if _HF.match(url) else url
        line = body.line_of(m.start())
        # TRL writes str(None) for an unknown base: "[None](https://huggingface.co/None)".
        if (not model_id.strip("/") and not m.group("text")) or (model_id, m.group("text")) == (
            "None",
            "None",
        ):
            raw.diagnostics.append(
                Diagnostic.make(
                    "MC304",
                    f"fine-tuned-from link {m.group(0)[len('fine-tuned version of ') :]!r} names "
                    "no model; no base model reported",
                    line,
                )
            )
        else:
            raw.base_model_link = RawField(m.group("text"), model_id or m.group("text"), line)
    else:
        pm = _UNSLOTH_BASE.search(text) or anchored.search(_PROSE_BASE, ANCHORS["_PROSE_BASE"])
        if pm:
            raw.base_model_link = RawField("", pm.group("id"), body.line_of(pm.start()))
    # (the sentence holds the piece "cratch", whose places are known: no scan of the body)
    raw.trained_from_scratch = any(
        text.startswith(_SCRATCH, pos - _SCRATCH_PIECE)
        for pos in anchored.positions(b"cratch")
        if pos >= _SCRATCH_PIECE
    )
    if _writer_intro(text):
        raw.markers.add("writer_intro")

    d = anchored.search(_DATASET_PHRASE, ANCHORS["_DATASET_PHRASE"])
    if d:
        raw.body_datasets = _datasets(d.group("phrase"), body.line_of(d.start()))

    for n in body.lines_containing("nformation"):
        if body.lines[n - 1].strip() in PLACEHOLDER_TEXTS:  # (_PLACEHOLDER.match, without a regex)
            raw.placeholders.append(n)
