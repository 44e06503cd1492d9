"""``modelcard render``: write a card back as a Trainer-style README.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._api import parse
from ..render import STYLES, render
from ._common import io_error


def register(sub: Any) -> None:
    p = sub.add_parser(
        "render",
        help="write a card back as a Trainer-style README.md",
        description=(
            "Parse a model card and write it in the layout transformers' Trainer writes: "
            "front matter with model-index, hyperparameter bullets, the training-results "
            "table, framework versions. An old Keras card comes out in today's Trainer "
            "layout; parsing the result gives the same values (see the render module for "
            "what is deliberately not carried over)."
        ),
    )
    p.add_argument("card", metavar="CARD", help="card file or model folder")
    p.add_argument("--style", choices=STYLES, default="trainer", help="layout to write (default: trainer)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.card)
    try:
        card = parse(path)  # a folder means its README.md
    except OSError as exc:
        io_error(path, exc)
        return 2
    text = render(card, style=args.style)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"modelcard: cannot write {args.output!r}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0
