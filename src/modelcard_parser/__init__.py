"""modelcard-parser: read Hugging Face model cards into typed, validated data.

>>> from modelcard_parser import parse
>>> card = parse("examples/bert-finetuned-ner.md")   # doctest: +SKIP
>>> card.hyperparameters.learning_rate                # doctest: +SKIP
2e-05
"""

from __future__ import annotations

from ._api import CardSource, parse, parse_file, parse_raw, parse_text, to_json
from ._source import Limits
from .checks import check
from .diagnostics import CODES, CardParseError, Diagnostic, Severity
from .models import (
    BodyFacts,
    EpochResult,
    EvalMetrics,
    Hyperparameters,
    LRScheduler,
    MetricValue,
    ModelCard,
    Optimizer,
)
from .raw import RawCard

__version__ = "0.1.0"

__all__ = [
    "CODES",
    "BodyFacts",
    "CardParseError",
    "CardSource",
    "Diagnostic",
    "EpochResult",
    "EvalMetrics",
    "Hyperparameters",
    "LRScheduler",
    "Limits",
    "MetricValue",
    "ModelCard",
    "Optimizer",
    "RawCard",
    "Severity",
    "__version__",
    "check",
    "parse",
    "parse_file",
    "parse_raw",
    "parse_text",
    "to_json",
]


def __dir__() -> list[str]:
    return list(__all__)
