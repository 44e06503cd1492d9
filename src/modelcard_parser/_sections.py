"""Step 4a: split the markdown body into a section tree with a cheap line scan.

markdown-it-py over a whole real card costs ~3 ms, several times our per-card budget,
so sections are found here by a line scan that respects fenced code blocks and HTML
comments; only the sections an extractor reads are then handed to markdown-it
(:mod:`._markdown`).

Headings recognised: ATX (``## Title``; also ``#Title`` without the space, seen in real
cards), setext (``Title`` over ``===``/``---``), and, for prose rewrites with no markdown
at all, a line standing alone between blank lines whose text is a known section title
("Training Procedure", "Training Results", ...).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# The closing "#"s are stripped in code: "(.*?)[ \t#]*\Z" backtracked quadratically on a
# long line of " # # # ...!" (a 1 MB heading took hours).
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*\Z")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Titles that prose rewrites put on a line of their own (seed 002 and blog copies).
PLAIN_TITLES: dict[str, int] = {
    "model description": 2,
    "model overview": 2,
    "intended uses limitations": 2,
    "training and evaluation data": 2,
    "training procedure": 2,
    "training hyperparameters": 3,
    "hyperparameters": 3,
    "training results": 3,
    "evaluation results": 2,
    "results": 2,
    "framework versions": 3,
    "understanding the metrics": 2,
    "troubleshooting": 2,
    "conclusion": 2,
    "getting started": 2,
}


@functools.lru_cache(maxsize=4096)  # pure, and every extractor asks for the same titles
def title_key(title: str) -> str:
    """Normalise a heading for matching: lowercase words, punctuation dropped."""
    return _NON_ALNUM.sub(" ", title.lower()).strip()


@dataclass(slots=True)
class Section:
    """A heading and the lines under it, up to the next heading of the same or higher level."""

    title: str | None
    """Heading text as written (markdown kept); None for the root."""
    level: int
    """1-6 for headings, 0 for the root (the whole body)."""
    line: int
    """1-based line of the heading (the root: the first body line)."""
    start: int
    """1-based first content line."""
    end: int
    """1-based line after the section's last line (children included)."""
    own_end: int = 0
    """1-based line after the section's own content (where its first child starts)."""
    children: list[Section] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The title normalised with :func:`title_key`."""
        return title_key(self.title or "")

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


def _plain_heading(lines: list[str], i: int) -> int | None:
    """Level of a prose-rewrite heading at index i, or None."""
    text = lines[i].strip()
    if not text or len(text) > 40:
        return None
    if (i > 0 and lines[i - 1].strip()) or (i + 1 < len(lines) and lines[i + 1].strip()):
        return None
    return PLAIN_TITLES.get(title_key(text))


def scan(lines: list[str], body_start: int) -> Section:
    """Build the section tree of the body that starts at 1-based line ``body_start``."""
    n = len(lines)
    root = Section(None, 0, body_start, body_start, n + 1, n + 1)
    stack = [root]
    fence: str | None = None
    in_comment = False
    i = body_start - 1
    prev_blank = True
    while i < n:
        line = lines[i]
        if fence is not None:
            if line.lstrip().startswith(fence):
                fence = None
            i += 1
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            i += 1
            continue
        stripped = line.lstrip()
        if not stripped:
            prev_blank = True
            i += 1
            continue
        if stripped[0] not in "<`~#":
            # Most lines: no comment, fence or ATX heading, and the next line is neither
            # blank (a plain heading needs one) nor a setext underline (it starts with "="
            # or "-" after spaces): nothing below can make this line a heading.
            nxt = lines[i + 1].lstrip() if i + 1 < n else ""
            if nxt and nxt[0] not in "=-":
                prev_blank = False
                i += 1
                continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            i += 1
            continue
        # (the startswith tests only skip regexes that cannot match: both need <= 3 spaces first)
        m_fence = _FENCE_OPEN.match(line) if stripped.startswith(("`", "~")) else None
        if m_fence:
            fence = m_fence.group(1)[:3]
            i += 1
            prev_blank = False
            continue
        level: int | None = None
        title = ""
        heading_line = i
        m = _ATX.match(line) if stripped.startswith("#") else None
        if m and not line.startswith("#!"):
            level, title = len(m.group(1)), m.group(2).rstrip(" \t#").strip()
        elif (
            i + 1 < n
            and stripped
            and prev_blank
            and _SETEXT.match(lines[i + 1])
            and not line.startswith(("-", "*", "|", " " * 4))
            and (lines[i + 1].strip()[0] == "=" or len(stripped) <= 80)
        ):
            level, title = (1 if lines[i + 1].strip()[0] == "=" else 2), stripped
            i += 1
        else:
            level = _plain_heading(lines, i) if stripped else None
            title = stripped
        if level is None:
            prev_blank = not stripped
            i += 1
            continue
        while stack[-1].level >= level:
            done = stack.pop()
            done.end = heading_line + 1
        parent = stack[-1]
        if not parent.children:
            parent.own_end = heading_line + 1
        section = Section(title, level, heading_line + 1, i + 2, n + 1, n + 1)
        parent.children.append(section)
        stack.append(section)
        prev_blank = True
        i += 1
    for section in root.walk():
        if not section.children:
            section.own_end = section.end
    return root
