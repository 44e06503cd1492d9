"""``modelcard plot``: training curves of one or more cards in one image."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._common import read_all_cards


def register(sub: Any) -> None:
    p = sub.add_parser(
        "plot",
        help="draw training curves (loss, metrics by epoch) of cards into an image",
        description=(
            "Draw the training-results tables of model cards: one panel per quantity "
            "(training loss, validation loss, each metric) by epoch, one line per card (and "
            "per dataset for multi-dataset Keras cards), labelled with the model names. "
            "Needs the [plot] extra (matplotlib); works headless."
        ),
    )
    p.add_argument("cards", nargs="+", metavar="CARD", help="card file or model folder")
    p.add_argument(
        "-o", "--output", default="curves.png", help="image file; .png, .svg or .pdf (default: curves.png)"
    )
    p.add_argument(
        "--only",
        metavar="NAME,...",
        help="panels to draw, in this order (e.g. 'validation loss,f1'); default: all",
    )
    p.add_argument("--title", help="figure title (default: 'Training curves by epoch')")
    p.add_argument("--dpi", type=int, default=150, help="resolution of raster images (default: 150)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from ..plot import plot
    except ImportError as exc:  # pragma: no cover - only without the extra
        print(f"modelcard: {exc}", file=sys.stderr)
        return 2
    cards = read_all_cards(args.cards)
    if cards is None:
        return 2
    quantities = [q.strip() for q in args.only.split(",") if q.strip()] if args.only else None
    try:
        out = plot(cards, args.output, quantities=quantities, title=args.title, dpi=args.dpi)
    except ImportError as exc:
        print(f"modelcard: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"modelcard: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"modelcard: cannot write {args.output!r}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(out)
    return 0
