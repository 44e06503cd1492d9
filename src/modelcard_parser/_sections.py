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
from itertools import islice

# An ATX heading; a line starting "#!" is not one.  The closing "#"s are stripped in code:
# "(.*?)[ \t#]*\Z" backtracked quadratically on a long line of " # # # ...!" (a 1 MB
# heading took hours).
_ATX = re.compile(r"(?!#!) {0,3}(#{1,6})(?:[ \t]+|(?=[^#\s]))(.*)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*\Z")
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# What str.isspace (and so str.strip) calls whitespace; tests/test_sections.py checks it.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# The first characters of the lines that are not ordinary (see scan).
_NOT_ORDINARY = frozenset("#<`~" + WHITESPACE)

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


def scan(lines: list[str], body_start: int) -> Section:
    """Build the section tree of the body that starts at 1-based line ``body_start`` (>= 1).

    The rules, line by line, outside fenced code blocks and multi-line HTML comments:

    * a line whose stripped text starts "<!--" and has no "-->" opens a comment, closed by
      the first later line holding "-->"; a line matching _FENCE_OPEN opens a fence,
      closed by the first later line whose stripped text starts with the fence's first
      three characters.  Both run to the end when unclosed;
    * a line matching _ATX is a heading;
    * else a line over a _SETEXT underline is a heading (level 1 for "=", 2 for "-") when
      ``prev_blank``, it starts with none of "-", "*", "|", four spaces, and its text after
      the indent has at most 80 characters (no limit over "=");
    * else a line between blank lines (or the start of the file, or the end), whose
      stripped text has at most 40 characters and a key in PLAIN_TITLES, is a heading.

    ``prev_blank`` is True at the first body line, after a blank line and after a heading
    (its underline included); False after a fence and after any other line; unchanged
    over a comment.  "Blank" and "stripped" are str.strip's: Unicode whitespace.

    It is one pass, cheap on the common line:

    * an *ordinary* line, one that is not empty and starts with none of "#", "<", "`",
      "~" and whitespace, is not blank, opens no region and is no ATX heading; it can
      only be a setext or plain title when the line before is blank or it follows a
      heading or region (``prev_blank`` and the plain rule's blank line need one of
      those).  ``maybe`` says so: True after an empty or blank line, a heading, a region,
      and at the first line; False after any other line.  An ordinary line with
      ``maybe`` False is passed over at once, without stripping it;
    * ``prev_blank`` matters only to a setext title, so it is not kept on every line: the
      last heading, fence or comment sets ``resume`` (the index after it) and
      ``resume_blank`` (``prev_blank`` there).  At a later line it is whether the line
      before is blank, since every line in between was passed over or blank;
    * a fence or comment is passed over whole (``it`` skips to its closer);
    * a section's ``own_end`` is set when its first child is added, or when it is closed
      with none; the sections still open at the end keep ``end == own_end == n + 1``.

    tests/test_sections.py checks it against the plain line-by-line loop.
    """
    n = len(lines)
    if body_start < 1:
        msg = f"body_start is 1-based: {body_start}"
        raise ValueError(msg)
    root = Section(None, 0, body_start, body_start, n + 1, n + 1, [])
    if body_start > n:
        return root
    start = body_start - 1
    body = lines[start:]
    end = len(body)
    body.append("")  # the line after the end: blank, as the rules see it
    stack = [root]
    resume = 0  # body indices, as k below
    resume_blank = True
    maybe = True
    it = enumerate(body)
    for k, line in it:
        if not line:
            maybe = True
            continue
        if line[0] not in _NOT_ORDINARY:
            if not maybe:
                continue
            s = line
        else:
            s = line.lstrip()
            if not s:
                maybe = True
                continue
        c0 = s[0]
        if c0 == "#" and (m := _ATX.match(line)):
            level = len(m[1])
            title = m[2].rstrip(" \t#").strip()
            after = k + 1
        else:
            if c0 in "<`~":
                if c0 == "<":
                    if s.startswith("<!--") and "-->" not in s:
                        for close in range(k + 1, end):
                            if "-->" in body[close]:
                                break
                        else:
                            break
                        if k != resume:
                            resume_blank = not body[k - 1].strip()
                        resume = close + 1
                        maybe = True
                        next(islice(it, close - k - 1, None))  # skip to the closer
                        continue
                elif m := _FENCE_OPEN.match(line):
                    fence = m[1][:3]
                    for close in range(k + 1, end):
                        closer = body[close]
                        if fence in closer and closer.lstrip().startswith(fence):  # (cheap test first)
                            break
                    else:
                        break
                    resume, resume_blank = close + 1, False
                    maybe = True
                    next(islice(it, close - k - 1, None))
                    continue
            maybe = False
            nxt = body[k + 1].lstrip()
            if nxt:  # a setext title?
                if nxt[0] not in "=-":
                    continue
                if (not resume_blank) if k == resume else body[k - 1].strip():
                    continue  # not prev_blank
                if not (
                    _SETEXT.match(body[k + 1])
                    and not line.startswith(("-", "*", "|", " " * 4))
                    and (nxt[0] == "=" or len(s) <= 80)
                ):
                    continue
                level, title = (1 if nxt[0] == "=" else 2), s
                after = k + 2
                next(it)  # the underline
            else:  # the next line is blank (or the end): a plain title?
                if k:
                    if body[k - 1].strip():
                        continue
                elif start and lines[start - 1].strip():
                    continue
                text = s.rstrip()
                if len(text) > 40:
                    continue
                plain = PLAIN_TITLES.get(title_key(text))
                if plain is None:
                    continue
                level, title = plain, s
                after = k + 1
        resume, resume_blank = after, True
        maybe = True
        line_no = start + k + 1  # 1-based
        top = stack[-1]
        while top.level >= level:
            stack.pop()
            top.end = line_no
            if not top.children:
                top.own_end = line_no
            top = stack[-1]
        if not top.children:
            top.own_end = line_no
        # (an explicit [] skips the dataclass's default factory: a third of its cost)
        section = Section(title, level, line_no, start + after + 1, n + 1, n + 1, [])
        top.children.append(section)
        stack.append(section)
    return root
