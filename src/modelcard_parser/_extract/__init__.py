"""Body extractors: each reads one kind of statement from the body into the RawCard.

Every extractor has the signature ``(body: Body, raw: RawCard) -> None`` and is listed
in :data:`EXTRACTORS`, run in that order (style markers last: they look at what the
others found).
"""

from __future__ import annotations

from collections.abc import Callable

from ..raw import RawCard
from ._body import Body
from .evaluation import extract_evaluation
from .framework import extract_framework
from .hyperparameters import extract_hyperparameters
from .intro import extract_intro
from .results import extract_results

Extractor = Callable[[Body, RawCard], None]

EXTRACTORS: tuple[Extractor, ...] = (
    extract_intro,
    extract_evaluation,
    extract_hyperparameters,
    extract_results,
    extract_framework,
)

__all__ = ["EXTRACTORS", "Body", "Extractor"]
