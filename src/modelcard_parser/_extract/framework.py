"""Framework versions: "- Transformers 4.12.3", "- TRL: 0.26.2", nested prose bullets.

Where: the "Framework versions" section; else any list item anywhere that names a
known library and a version (prose rewrites nest them under "Troubleshooting").
"""

from __future__ import annotations

import re

from .._markdown import BulletList
from .._names import FRAMEWORKS, canonical
from ..raw import RawCard, RawField
from ._body import Body, flatten, short_text_memo

_ITEM = re.compile(r"^\**(?P<name>[A-Za-z][\w .+-]*?)\**\s*(?::\s*|\s+)(?P<version>v?\d[\w.+-]*)\s*$")
# Over the whole body, from each line start (the first line is tried apart): a pattern that
# starts with "\n" is found by a fast scan, "^" with re.MULTILINE tries every character.
# "[^\S\n]" is "\s" that stays on its line.
_CHEAP_TAIL = r"[^\S\n]*[-*•][^\S\n]*\**(?:transformers|pytorch|torch|tensorflow|peft|trl)\b"
_CHEAP_FIRST = re.compile(_CHEAP_TAIL, re.IGNORECASE)
_CHEAP = re.compile("\n" + _CHEAP_TAIL, re.IGNORECASE)


@short_text_memo
def _name_version(text: str) -> tuple[str, str] | None:
    """The name and version groups of _ITEM for an item's stripped text (a lazy match that
    tries every split of the name: ~10 us), or None."""
    m = _ITEM.match(text)
    return (m.group("name"), m.group("version")) if m else None


def _items(body: Body, section_blocks: list[object], known_only: bool) -> list[RawField]:
    out: list[RawField] = []
    for block in section_blocks:
        if not isinstance(block, BulletList):
            continue
        for item in flatten(block.items):
            name_version = _name_version(item.text.strip())
            if name_version is None:
                continue
            name, version = name_version
            if not known_only or canonical(name) in FRAMEWORKS:
                out.append(RawField(name.strip(), version, item.line))
    return out


def extract_framework(body: Body, raw: RawCard) -> None:
    """Fill ``raw.framework`` with (name, version) lines as written."""
    for section in body.titled(("framework versions", "framework version")):
        raw.framework.extend(_items(body, list(body.blocks(section)), known_only=False))
    if raw.framework:
        return
    seen: set[int] = set()
    first = [body.root.line] if _CHEAP_FIRST.match(body.text) else []
    for n in first + [line + 1 for line, _ in body.matching_lines(_CHEAP)]:
        section = body.section_at(n)
        if id(section) not in seen:
            seen.add(id(section))
            raw.framework.extend(_items(body, list(body.blocks(section)), known_only=True))
