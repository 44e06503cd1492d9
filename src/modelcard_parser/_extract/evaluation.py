"""Final evaluation bullets: "It achieves the following results on the evaluation set:".

Also the per-dataset form ("on the NERPERDemo evaluation set:", one list each), the
prose rewrite's "Here are its evaluation results:", and AutoTrain's "Validation
Metrics" section.  The list is the one right after the sentence.
"""

from __future__ import annotations

import re

from .._markdown import BulletList
from ..raw import RawCard, RawEvalList, RawField
from ._body import Body, flatten, list_after, split_key_value

_SENTENCE = re.compile(
    r"(?:achieves the following results on (?:the )?(?P<label>.*?)\s*evaluation set"
    r"|(?:here are )?(?:its|the) evaluation results)\s*:",
    re.IGNORECASE,
)
_SECTIONS = ("validation metrics", "evaluation metrics", "eval results")


def _fields(lst: BulletList) -> list[RawField]:
    out = []
    for item in flatten(lst.items):
        kv = split_key_value(item.text)
        if kv is not None:
            out.append(RawField(kv[0], kv[1], item.line))
    return out


def extract_evaluation(body: Body, raw: RawCard) -> None:
    """Every evaluation list, with the dataset its sentence names."""
    for n in body.lines_containing("valuation"):
        line = body.lines[n - 1]
        if ":" not in line:
            continue  # every sentence ends in one: no regex (re.IGNORECASE tries every position)
        m = _SENTENCE.search(line)
        if not m:
            continue
        section = body.section_at(n)
        lst = list_after(body.blocks(section), n)
        if lst is None:
            continue
        label = (m.group("label") or "").strip() or None
        fields = _fields(lst)
        if fields:
            raw.eval_lists.append(RawEvalList(fields, n, label))
    if raw.eval_lists:
        return
    for section in body.titled(_SECTIONS):
        for block in body.blocks(section):
            if isinstance(block, BulletList):
                fields = _fields(block)
                if fields:
                    raw.eval_lists.append(RawEvalList(fields, section.line))
                break
