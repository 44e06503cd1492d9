"""The raw layer: what a card says, as written, with file lines.

``parse_raw`` fills a :class:`RawCard` and never raises on card content.  Strings are
kept exactly as written; typing happens in :mod:`.normalize`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._markdown import TableRow
from ._sections import Section
from ._source import Source
from .diagnostics import Diagnostic

__all__ = ["RawCard", "RawEvalList", "RawField", "RawTable"]


@dataclass(slots=True)
class RawField:
    """A ``key: value`` statement as written, with its 1-based file line."""

    key: str
    value: str
    line: int


@dataclass(slots=True)
class RawTable:
    """A training-results table: header and cell texts as written."""

    header: list[str]
    rows: list[TableRow]
    line: int
    caption: str | None = None
    recovered: bool = False


@dataclass(slots=True)
class RawEvalList:
    """An evaluation bullet list and the dataset its sentence names, if any."""

    items: list[RawField]
    line: int
    label: str | None = None


@dataclass(slots=True)
class RawCard:
    """Everything read from one card before typing."""

    source: Source
    metadata: dict[str, Any] = field(default_factory=dict)
    """The front matter as loaded (merged blocks); empty when absent or unreadable."""
    front_matter: Any = None
    """The front matter when it is not a mapping (a list, a scalar)."""
    positions: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    """File line of each YAML key path."""
    has_front_matter: bool = False
    root: Section | None = None
    title: RawField | None = None
    """The H1 title (key ``#``)."""
    base_model_link: RawField | None = None
    """The fine-tuned-from link: key = link text, value = model id from the URL."""
    body_datasets: list[RawField] = field(default_factory=list)
    """Datasets named by the intro sentence ("on the conll2003 dataset")."""
    trained_from_scratch: bool = False
    markers: set[str] = field(default_factory=set)
    hyperparameters: list[RawField] = field(default_factory=list)
    hyperparameter_form: str = ""
    """``bullets``, ``table`` or ``""`` when none were found."""
    results_tables: list[RawTable] = field(default_factory=list)
    eval_lists: list[RawEvalList] = field(default_factory=list)
    framework: list[RawField] = field(default_factory=list)
    placeholders: list[int] = field(default_factory=list)
    """Lines of "More information needed" placeholders."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
