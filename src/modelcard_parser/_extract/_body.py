"""The body an extractor reads: lines, the section tree, and markdown blocks on demand."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Collection, Iterator
from typing import TypeVar

from .._markdown import Block, BulletList, ListItem, Paragraph, parse_blocks
from .._sections import Section
from .._source import DEFAULT_LIMITS, Limits
from ..diagnostics import Diagnostic


class Body:
    """A card body.  ``blocks(section)`` runs markdown-it once per section, lazily."""

    def __init__(self, lines: list[str], root: Section, limits: Limits = DEFAULT_LIMITS) -> None:
        self.lines = lines
        self.root = root
        self.sections = _preorder(root)
        self._starts = [s.line for s in self.sections]  # pre-order: non-decreasing
        self._titled = [(s, s.key) for s in self.sections if s.title is not None]
        """(section, normalised title) of every titled section: ``titled`` asks often."""
        self._blocks: dict[int, list[Block]] = {}
        self.limits = limits
        self.budget_lines = limits.max_markdown_lines
        self.budget_chars = limits.max_markdown_bytes
        """Lines and characters the markdown parser may still read for this card (-1: spent)."""
        self.diagnostics: list[Diagnostic] = []
        """What a limit cut (MC320-MC322); ``parse_raw`` adds them to the card's."""

    @functools.cached_property
    def text(self) -> str:
        """The body's lines joined (from the root's first line): one string to search."""
        return "\n".join(self.lines[self.root.line - 1 :])

    def line_of(self, pos: int) -> int:
        """The file line holding offset ``pos`` of :attr:`text` (a count: call it rarely)."""
        return self.text.count("\n", 0, pos) + self.root.line

    def lines_containing(self, needle: str) -> Iterator[int]:
        """The file lines (in order, each once) whose text contains ``needle`` (no newline)."""
        text = self.text
        line, counted = self.root.line, 0  # newlines are counted once, left to right
        pos = text.find(needle)
        while pos != -1:
            line += text.count("\n", counted, pos)
            yield line
            counted = text.find("\n", pos)
            if counted == -1:
                return
            pos = text.find(needle, counted)

    def matching_lines(self, pattern: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
        r"""(file line, match) of each match of ``pattern`` over :attr:`text`, the line being
        the one that holds the match's start.

        One C-level search over the body instead of a Python test of every line; a pattern
        standing for a per-line ``match`` must not cross a newline (``[^\S\n]``, not ``\s``).
        """
        line, counted = self.root.line, 0
        for m in pattern.finditer(self.text):
            line += self.text.count("\n", counted, m.start())
            counted = m.start()
            yield line, m

    def blocks(self, section: Section) -> list[Block]:
        """Paragraphs, lists and tables of the section's own lines (children excluded)."""
        key = id(section)
        if key not in self._blocks:
            end = self._budgeted_end(section.start, section.own_end)
            self._blocks[key] = parse_blocks(
                self.lines, section.start, end, limits=self.limits, notes=self.diagnostics
            )
        return self._blocks[key]

    def _budgeted_end(self, start: int, end: int) -> int:
        """Where the markdown budget lets the parse of lines ``start``..``end - 1`` stop.

        The budget (Limits.max_markdown_lines / max_markdown_bytes, per card) bounds the
        time a card can cost: markdown-it spends 30-110 us a line and ~0.3 us a character.
        What it leaves unread is reported once (MC322), on the first line not read.
        """
        if self.budget_lines < 0:
            return start
        stop = min(end, start + self.budget_lines)
        # The whole range at once; line by line only when the budget runs out inside it.
        chars = self.budget_chars - sum(map(len, self.lines[start - 1 : stop - 1])) - (stop - start)
        if chars < 0:
            chars = self.budget_chars
            for n in range(start, stop):
                chars -= len(self.lines[n - 1]) + 1
                if chars < 0:
                    stop = n
                    break
        if stop < end:
            self.diagnostics.append(
                Diagnostic.make(
                    "MC322",
                    f"the sections read hold more than {self.limits.max_markdown_lines:,} lines or "
                    f"{self.limits.max_markdown_bytes:,} characters (Limits.max_markdown_lines/_bytes); "
                    "markdown from this line on was not read",
                    stop,
                )
            )
            self.budget_lines = -1
        else:
            self.budget_lines -= stop - start
            self.budget_chars = chars
        return stop

    def titled(self, keys: Collection[str]) -> list[Section]:
        """Sections whose normalised title is one of ``keys``, in order."""
        return [s for s, key in self._titled if key in keys]

    def titled_containing(self, part: str) -> list[Section]:
        """Sections whose normalised title contains ``part``, in order."""
        return [s for s, key in self._titled if part in key]

    def section_at(self, line: int) -> Section:
        """The deepest section whose own lines hold file line ``line``."""
        # The last section (pre-order) that starts at or before the line and holds it;
        # a bisection, not a scan: a card of 20,000 sections made every call linear.
        idx = bisect.bisect_right(self._starts, line) - 1
        while idx >= 0:
            s = self.sections[idx]
            if s.line <= line < s.end:
                return s
            idx -= 1
        return self.root


def _preorder(root: Section) -> list[Section]:
    """``list(root.walk())`` without a generator per level (each yield went up the levels)."""
    out: list[Section] = []
    stack = [root]
    while stack:
        section = stack.pop()
        out.append(section)
        if section.children:
            stack.extend(reversed(section.children))
    return out


def list_after(blocks: list[Block], line: int) -> BulletList | None:
    """The list that directly follows the paragraph holding file ``line``."""
    # Blocks are in document order: only the last one starting at or before the line can
    # hold it (bisection: 20,000 evaluation sentences in one section made this quadratic).
    i = bisect.bisect_right(blocks, line, key=lambda b: b.line)
    prev = blocks[i - 1] if i > 0 else None
    if isinstance(prev, Paragraph) and prev.line <= line < prev.end:
        nxt = blocks[i] if i < len(blocks) else None
        return nxt if isinstance(nxt, BulletList) else None
    for block in itertools.islice(blocks, i, None):
        if isinstance(block, BulletList):
            return block
    return None


def flatten(items: list[ListItem]) -> Iterator[ListItem]:
    """Every item of a list, nested ones after their parent."""
    for item in items:
        yield item
        if item.children:  # no generator for a leaf (most items)
            yield from flatten(item.children)


MEMO_TEXT = 256  # the longest text a memo keeps
_T = TypeVar("_T")


def short_text_memo(func: Callable[[str], _T]) -> Callable[[str], _T]:
    """``func``, a pure function of a text, memoised (the last 4,096) for texts of at most
    MEMO_TEXT characters: cards repeat their lines (Trainer cards: ~70% of a corpus pass),
    and a memo must not hold on to a hostile card's long text."""
    memo = functools.lru_cache(maxsize=4096)(func)

    def call(text: str) -> _T:
        return memo(text) if len(text) <= MEMO_TEXT else func(text)

    call.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
    return functools.update_wrapper(call, func)


@short_text_memo
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
