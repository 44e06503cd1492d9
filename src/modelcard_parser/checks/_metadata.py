"""Front matter vs body, and unfinished cards (MC441-MC443, MC451-MC452)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._names import canonical
from ..diagnostics import Diagnostic
from ..models import ModelCard

__all__ = [
    "base_model_two_ways",
    "body_dataset_contradicts_metadata",
    "body_dataset_missing_from_metadata",
    "missing_license",
    "placeholder_sections",
]

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?$")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")  # no nested brackets: linear on "[a](" repeated
_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.IGNORECASE)
_NOT_A_DATASET = frozenset(
    {"none", "unknown", "imagefolder", "audiofolder", "json", "csv", "text", "parquet", "data", "custom"}
)
"""Generator artefacts ("the None dataset") and local loaders: nothing to list in ``datasets``."""


def _model_id(text: str) -> str | None:
    """A Hub model id, or None for local paths and other non-ids."""
    s = text.strip().strip("`'\"").strip()
    return s if _HUB_ID.match(s) and not s.startswith(".") else None


def _same_model(a: str, b: str) -> bool:
    """Equal ids, or the same name with and without an organisation (``bert-base-cased``
    was renamed ``google-bert/bert-base-cased``)."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if "/" in a and "/" in b:
        return False
    return a.rsplit("/", 1)[-1] == b.rsplit("/", 1)[-1]


# --- MC441 ---------------------------------------------------------------------------------
def base_model_two_ways(card: ModelCard) -> Iterator[Diagnostic]:
    """YAML ``base_model`` and the body's fine-tuned-from link name different models."""
    body = _model_id(card.body.base_model or "")
    yaml_ids = [m for m in (_model_id(b) for b in card.base_models) if m is not None]
    if body is None or not yaml_ids or any(_same_model(body, m) for m in yaml_ids):
        return
    line = card.sources.get("base_model")
    yield Diagnostic.make(
        "MC441",
        f"base_model is {', '.join(yaml_ids)} in the front matter (line {line}) but the body "
        f"says fine-tuned from {body} (line {card.body.base_model_line})",
        line,
    )


# --- MC442 / MC443 ----------------------------------------------------------------------
def _dataset_name(text: str) -> str | None:
    """``an [tweet_eval](...)`` -> tweet_eval; ``MOZILLA-FOUNDATION/COMMON_VOICE_7_0 - UK``
    -> the dataset without its config; None for artefacts and local data."""
    s = _LINK.sub(r"\1", text).strip()
    s = _ARTICLE.sub("", s).split(" - ")[0].strip()
    if not s or s.lower() in _NOT_A_DATASET or "\\" in s or s.startswith(("/", ".", "~")):
        return None
    return s


def _forms(name: str) -> set[str]:
    """Canonical spellings of a dataset name: whole, without organisation, first word."""
    short = name.rsplit("/", 1)[-1]
    forms = {canonical(name), canonical(short), canonical(short.split()[0]) if short.split() else ""}
    return {f for f in forms if f}


def _listed(name: str, datasets: list[str]) -> bool:
    """Named in ``datasets``, up to organisation, config words and version suffixes
    (``GLUE SST2`` ~ ``glue``, ``Common Voice 11.0`` ~ ``mozilla-foundation/common_voice_11_0``)."""
    mine = _forms(name)
    for d in datasets:
        for theirs in _forms(d):
            for f in mine:
                if f == theirs or f.startswith(theirs + "_") or theirs.startswith(f + "_"):
                    return True
    return False


def _body_datasets(card: ModelCard) -> list[str]:
    out: list[str] = []
    for text in card.body.datasets:
        name = _dataset_name(text)
        if name is not None and name not in out:
            out.append(name)
    return out


def body_dataset_contradicts_metadata(card: ModelCard) -> Iterator[Diagnostic]:
    """The body names a dataset that the front matter's non-empty ``datasets`` does not list."""
    if not card.datasets:
        return
    missing = [n for n in _body_datasets(card) if not _listed(n, card.datasets)]
    if missing:
        yield Diagnostic.make(
            "MC442",
            f"the body says trained on {', '.join(missing)} (line {card.body.datasets_line}) but "
            f"datasets lists {', '.join(card.datasets)} (line {card.sources.get('datasets')})",
            card.body.datasets_line,
        )


def body_dataset_missing_from_metadata(card: ModelCard) -> Iterator[Diagnostic]:
    """The body names a dataset and the front matter has no ``datasets`` at all."""
    if card.datasets:
        return
    named = _body_datasets(card)
    if named:
        yield Diagnostic.make(
            "MC443",
            f"the body says trained on {', '.join(named)} (line {card.body.datasets_line}) but the "
            "front matter has no datasets list",
            card.body.datasets_line,
        )


# --- MC451 / MC452 ----------------------------------------------------------------------
def placeholder_sections(card: ModelCard) -> Iterator[Diagnostic]:
    """Sections left at the generator's "More information needed"."""
    lines = card.body.placeholders
    if lines:
        n = len(lines)
        yield Diagnostic.make(
            "MC451",
            f"{n} section{'s' if n > 1 else ''} still say{'' if n > 1 else 's'} 'More information "
            f"needed' (line{'s' if n > 1 else ''} {', '.join(map(str, lines))})",
            lines[0],
        )


def missing_license(card: ModelCard) -> Iterator[Diagnostic]:
    """No license in the front matter."""
    if card.license:
        return
    line = card.sources.get("license")
    if line is not None:
        yield Diagnostic.make("MC452", f"the front matter's license is empty (line {line})", line)
    else:
        yield Diagnostic.make(
            "MC452", "no license in the front matter", 1 if card.body.has_front_matter else None
        )
