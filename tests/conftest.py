"""Shared fixtures: where ../shared is (tests that need it skip cleanly without it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_path(prefix: str) -> Path:
    """The seed card whose name starts with ``prefix`` (e.g. "001"); skips when absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    matches = sorted(SEEDS.glob(f"{prefix}_*.md"))
    if not matches:
        pytest.skip(f"seed {prefix} is not present")
    return matches[0]


@pytest.fixture
def corpus_dir() -> Path:
    """../shared/corpus (skips when absent)."""
    if not (CORPUS / "cards").is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


def corpus_cards() -> list[Path]:
    """Every corpus card, or [] when ../shared is absent (for parametrize)."""
    return sorted((CORPUS / "cards").glob("*.md")) if (CORPUS / "cards").is_dir() else []


# Hypothesis profiles: "ci" (default) keeps the property tests quick; run longer with
# `pytest tests/property --hypothesis-profile=long`.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci")
