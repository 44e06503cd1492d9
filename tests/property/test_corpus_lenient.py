"""Every card of ../shared/corpus in lenient mode: no exception, and every invariant of
the property tests (lines in the file, schema-valid strict JSON, deterministic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import corpus_cards
from .test_parse_properties import check_card

CARDS = corpus_cards()


@pytest.mark.corpus
@pytest.mark.skipif(not CARDS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", CARDS, ids=lambda p: p.name)
def test_corpus_card(path: Path) -> None:
    data = path.read_bytes()
    check_card(data)
    check_card(data.replace(b"\n", b"\r\n"))
