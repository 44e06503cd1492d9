"""Training hyperparameters: "- key: value" bullets, or a 2-column table.

Where: the sections titled "...hyperparameters", else the "Training procedure"
section (prose rewrites have no hyperparameters heading) when its list names at least
two known hyperparameters.  A hyperparameters section with no list of its own is read
through its subsections (one per training run).  A list introduced by "quantization
config" (PEFT's bitsandbytes block) is not hyperparameters, nor is a template's
"[More Information Needed]".  Keys and values are kept as written;
typing happens in normalize.
"""

from __future__ import annotations

import re

from .._markdown import BulletList, Paragraph, Table
from .._names import HP_ALIASES, canonical
from ..raw import RawCard, RawField
from ._body import Body, flatten, split_key_value

_FALLBACK_SECTIONS = (
    "training procedure",
    "training details",
    "training arguments",
    "training args",
    "training configuration",
    "training",
)


_PLACEHOLDER = re.compile(r"\s*\[?more information needed\]?\s*\Z", re.IGNORECASE)
_PLACEHOLDER_MIN = len("more information needed")  # each character of it matches one
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def _placeholder(value: str) -> bool:
    """Whether ``value``, comments removed, is the template's "[More Information Needed]"."""
    return _PLACEHOLDER.match(_COMMENT.sub("", value)) is not None


def _from_section(body: Body, section_blocks: list[object]) -> tuple[list[RawField], str]:
    fields: list[RawField] = []
    form = ""
    prev: object = None
    for block in section_blocks:
        if isinstance(block, BulletList):
            if not (isinstance(prev, Paragraph) and "quantization" in prev.text):
                for item in flatten(block.items):
                    kv = split_key_value(item.text)
                    if kv is None:
                        continue
                    key, value = kv
                    # The Hub template's "- **Training regime:** [More Information Needed]"
                    # is a placeholder, not a hyperparameter.  The regexes can only match a
                    # value holding a comment or the placeholder's 23 letters and spaces
                    # (most values are short numbers).
                    if (len(value) >= _PLACEHOLDER_MIN or "<!--" in value) and _placeholder(value):
                        continue
                    fields.append(RawField(key, value, item.line))
                    form = form or "bullets"
        elif isinstance(block, Table) and len(block.header) == 2:
            head = canonical(block.header[0])
            if head.startswith("hyperparameter") or head in ("parameter", "name", "key"):
                for row in block.rows:
                    if row.cells and row.cells[0]:
                        fields.append(RawField(row.cells[0], row.cells[1], row.line))
                        form = form or "table"
        prev = block
    return fields, form


def _known(fields: list[RawField]) -> int:
    return sum(canonical(f.key) in HP_ALIASES for f in fields)


def extract_hyperparameters(body: Body, raw: RawCard) -> None:
    """Fill ``raw.hyperparameters`` from the first section that states them."""
    for section in body.titled_containing("hyperparameter"):
        fields, form = _from_section(body, list(body.blocks(section)))
        if not fields:
            # "### Training hyperparameters" holding only "#### First training" and
            # "#### Second training" subsections: their lists are the hyperparameters.
            for sub in list(section.walk())[1:]:
                if "hyperparameter" not in sub.key:
                    sub_fields, sub_form = _from_section(body, list(body.blocks(sub)))
                    fields.extend(sub_fields)
                    form = form or sub_form
        if fields:
            raw.hyperparameters.extend(fields)
            raw.hyperparameter_form = raw.hyperparameter_form or form
    if raw.hyperparameters:
        return
    for section in body.titled(_FALLBACK_SECTIONS):
        fields, form = _from_section(body, list(body.blocks(section)))
        if _known(fields) >= 2:
            raw.hyperparameters.extend(fields)
            raw.hyperparameter_form = form
            return
