"""The body an extractor reads: lines, the section tree, and markdown blocks on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .._markdown import Block, BulletList, ListItem, Paragraph, parse_blocks
from .._sections import Section


class Body:
    """A card body.  ``blocks(section)`` runs markdown-it once per section, lazily."""

    def __init__(self, lines: list[str], root: Section) -> None:
        self.lines = lines
        self.root = root
        self.sections = list(root.walk())
        self._blocks: dict[int, list[Block]] = {}

    def blocks(self, section: Section) -> list[Block]:
        """Paragraphs, lists and tables of the section's own lines (children excluded)."""
        key = id(section)
        if key not in self._blocks:
            self._blocks[key] = parse_blocks(self.lines, section.start, section.own_end)
        return self._blocks[key]

    def find(self, pred: Callable[[str], bool]) -> list[Section]:
        """Sections whose normalised title satisfies ``pred``."""
        return [s for s in self.sections if s.title is not None and pred(s.key)]

    def section_at(self, line: int) -> Section:
        """The deepest section whose own lines hold file line ``line``."""
        best = self.root
        for s in self.sections:
            if s.line <= line < s.end:
                best = s
        return best

    def own_lines(self, section: Section) -> Iterator[tuple[int, str]]:
        """(file line, text) of the section's own content."""
        for n in range(section.start, section.own_end):
            yield n, self.lines[n - 1]


def list_after(blocks: list[Block], line: int) -> BulletList | None:
    """The list that directly follows the paragraph holding file ``line``."""
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.line <= line < block.end:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            return nxt if isinstance(nxt, BulletList) else None
        if isinstance(block, BulletList) and block.line > line:
            return block
    return None


def flatten(items: list[ListItem]) -> Iterator[ListItem]:
    """Every item of a list, nested ones after their parent."""
    for item in items:
        yield item
        yield from flatten(item.children)


def split_key_value(text: str) -> tuple[str, str] | None:
    """``**Learning Rate**: 2e-05`` -> ("Learning Rate", "2e-05"); None without a colon."""
    head, sep, tail = text.partition(":")
    if not sep:
        return None
    key = head.strip().strip("*`").strip()
    value = tail.strip()
    if value.startswith(("**", "__")):
        value = value[2:].strip()
    if not key or len(key) > 80:
        return None
    return key, value
