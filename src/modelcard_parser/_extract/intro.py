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

# Where a match of each costly case-insensitive pattern can start: (a piece every match
# holds, its offset from the match's start).  re.IGNORECASE cannot skip ahead to a
# literal, so a search tries every character of the body; finding the piece in the
# lowercased body first is a C-speed scan.  For the pieces' letters (no i, s or k: those
# also match "ı", "ſ" and "K") IGNORECASE matches exactly what str.lower() maps to them,
# and what comes before a piece has a fixed length ("fine", "trained from s").
# tests/test_prefilters.py keeps these in step with the patterns.
ANCHORS: dict[str, tuple[tuple[str, int], ...]] = {
    "_LINK": (("-tuned ve", 4),),
    "_PROSE_BASE": (("tuned ", 5), ("tuned ", 4)),
    "_DATASET_PHRASE": (("-tuned ve", 4), ("cratch", 14)),
}


def anchored_search(
    pattern: re.Pattern[str], text: str, low: str, anchors: tuple[tuple[str, int], ...]
) -> re.Match[str] | None:
    """``pattern.search(text)``, tried only where an anchor's piece is in ``low``.

    ``low`` is ``text.lower()``.  The first start (leftmost) that matches is what
    ``search`` returns.  When lowering changed the length (a character such as "İ" became
    two), positions differ and the plain search runs.
    """
    if len(low) != len(text):
        return pattern.search(text)
    starts: set[int] = set()
    for piece, back in anchors:
        pos = low.find(piece)
        while pos != -1:
            if pos >= back:
                starts.add(pos - back)
            pos = low.find(piece, pos + 1)
    for start in sorted(starts):
        m = pattern.match(text, start)
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
    low = text.lower()  # for the anchored searches (ANCHORS)
    for name, needle in _MARKERS.items():
        if needle in text:
            raw.markers.add(name)
    for section in body.sections:
        if section.level == 1 and section.title is not None:
            raw.title = RawField("#", section.title, section.line)
            break

    m = anchored_search(_LINK, text, low, ANCHORS["_LINK"])
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
        pm = _UNSLOTH_BASE.search(text) or anchored_search(_PROSE_BASE, text, low, ANCHORS["_PROSE_BASE"])
        if pm:
            raw.base_model_link = RawField("", pm.group("id"), body.line_of(pm.start()))
    raw.trained_from_scratch = "This model was trained from scratch" in text
    if _writer_intro(text):
        raw.markers.add("writer_intro")

    d = anchored_search(_DATASET_PHRASE, text, low, ANCHORS["_DATASET_PHRASE"])
    if d:
        raw.body_datasets = _datasets(d.group("phrase"), body.line_of(d.start()))

    for n in body.lines_containing("nformation"):
        if _PLACEHOLDER.match(body.lines[n - 1]):
            raw.placeholders.append(n)
