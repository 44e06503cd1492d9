"""Helpers shared by the sub-commands: expanding inputs, reading cards, printing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from .._api import parse
from ..models import ModelCard


def expand_inputs(inputs: list[str]) -> Iterator[Path]:
    """Files as given; folders as every README.md / *.md below them, sorted."""
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.md") if p.is_file())
        else:
            yield path


def read_cards(inputs: list[str]) -> Iterator[tuple[Path, ModelCard | OSError]]:
    """Parse each input; an unreadable file yields its OSError instead of a card."""
    for path in expand_inputs(inputs):
        try:
            yield path, parse(path, strict=False)
        except OSError as exc:
            yield path, exc


def read_all_cards(inputs: list[str]) -> list[ModelCard] | None:
    """Every input's card, for commands that need them all; None (the error reported)
    at the first file that cannot be read."""
    cards: list[ModelCard] = []
    for path, card in read_cards(inputs):
        if isinstance(card, OSError):
            io_error(path, card)
            return None
        cards.append(card)
    return cards


def io_error(path: Path, exc: OSError) -> None:
    """Report an I/O error the way every command does."""
    print(f"modelcard: cannot read {str(path)!r}: {exc.strerror or exc}", file=sys.stderr)
