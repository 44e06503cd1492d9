"""Training-results tables: every table with an Epoch or Step column and a loss.

Sections are pre-filtered by a cheap line test (a header naming a loss and an epoch or
step) so markdown only runs where a results table can be.  A short paragraph
ending in ":" right before a table is its caption ("On wikiann:"); when a card has one
table per dataset, the caption names each row's dataset.
"""

from __future__ import annotations

import re

from .._markdown import Paragraph, Table
from .._names import COLUMN_ALIASES, canonical
from ..diagnostics import Diagnostic
from ..raw import RawCard, RawTable
from ._body import Body

_CAPTION_PREFIX = re.compile(r"^(?:results\s+)?(?:on|for)\s+(?:the\s+)?", re.IGNORECASE)
_CAPTION_SUFFIX = re.compile(r"\s+(?:dataset|data set)\Z", re.IGNORECASE)
_DELIM = re.compile(r"^\s*(?:\|\s*)?:?-{3,}")  # not "\s*\|?\s*": quadratic on long space runs


def _is_results_header(header: list[str]) -> bool:
    fields = {COLUMN_ALIASES.get(canonical(h)) for h in header}
    return ("epoch" in fields or "step" in fields) and bool(fields & {"training_loss", "validation_loss"})


def _caption(prev: object) -> str | None:
    if isinstance(prev, Paragraph):
        text = prev.text.strip()
        if text.endswith(":") and len(text) <= 100 and "\n" not in text:
            # "Results for the adversarial_qa dataset:" names the dataset adversarial_qa,
            # as "on the adversarial_qa evaluation set:" does for its evaluation list.
            name = _CAPTION_SUFFIX.sub("", _CAPTION_PREFIX.sub("", text[:-1]).strip())
            return name.strip() or None
    return None


def _may_hold_table(body: Body, start: int, end: int) -> bool:
    """Whether lines ``start``..``end - 1`` may hold a results table's header.

    A results header names an epoch or step column and a loss column (every alias of
    them holds "epoch", "step" or "loss"), on one line: a row with pipes, or the pipe-less
    line right above a delimiter row (MC306).  Other sections (a sentence-transformers
    dataset card's tables inside list items, say) are never handed to markdown.
    """
    lines = body.lines[start - 1 : end - 1]
    if "|" not in "".join(lines):
        return False  # one scan in C: most sections have no pipe at all
    prev = ""
    for line in lines:
        if "|" in line:
            low = line.lower()
            if "loss" in low and ("epoch" in low or "step" in low):
                return True
            if "|" not in prev and _DELIM.match(line):
                low = prev.lower()
                if "loss" in low and ("epoch" in low or "step" in low):
                    return True
        prev = line
    return False


def extract_results(body: Body, raw: RawCard) -> None:
    """Fill ``raw.results_tables`` with every training-results table, in order."""
    if "|" not in body.text:
        return  # _may_hold_table needs a line with "|": half the cards have none
    for section in body.sections:
        if not _may_hold_table(body, section.start, section.own_end):
            continue
        prev: object = None
        for block in body.blocks(section):
            if isinstance(block, Table) and _is_results_header(block.header):
                raw.results_tables.append(
                    RawTable(block.header, block.rows, block.line, _caption(prev), block.recovered)
                )
                if block.recovered:
                    raw.diagnostics.append(
                        Diagnostic.make(
                            "MC306",
                            f"results table header {' '.join(block.header)[:60]!r} has no "
                            "pipes; columns split on runs of spaces",
                            block.line,
                        )
                    )
            prev = block
