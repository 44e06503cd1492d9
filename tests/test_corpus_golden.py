"""Real cards from ../shared/corpus: golden JSON, no exception anywhere, hyperparameters found.

Each ``tests/golden/corpus/NNNN.json`` holds the complete expected contract JSON
(``parse(card).model_dump(mode="json")``) of ``../shared/corpus/cards/NNNN.md``.  Every
value in them was checked by reading the card, field by field; the cards themselves are
not copied here, so these tests skip when ../shared/corpus is absent.

When a golden fails after a parser change, read the card again and decide which side is
wrong; never regenerate a golden blindly.  ``python tests/test_corpus_golden.py NNNN...``
prints the parser's current JSON of those cards (a candidate to check, not a golden).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pytest

from modelcard_parser import parse
from tests._jsondiff import assert_json_equal
from tests.conftest import CORPUS, corpus_cards

GOLDEN = Path(__file__).resolve().parent / "golden" / "corpus"
GOLDENS = sorted(p.stem for p in GOLDEN.glob("*.json"))

pytestmark = pytest.mark.corpus

# A heading (ATX, or a prose rewrite's plain line) naming the hyperparameters, found
# without the parser so that the test does not grade the parser with its own reading.
_HP_HEADING = re.compile(
    r"^(?:#{1,6}[ \t]*[^\n]*hyperparameters|training hyperparameters)[ \t#]*$", re.I | re.M
)


def _card_path(stem: str) -> Path:
    path = CORPUS / "cards" / f"{stem}.md"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return path


@pytest.mark.parametrize("stem", GOLDENS)
def test_golden(stem: str) -> None:
    expected = json.loads((GOLDEN / f"{stem}.json").read_text(encoding="utf-8"))
    actual = parse(_card_path(stem)).model_dump(mode="json")
    assert_json_equal(expected, actual, f"cards/{stem}.md")


def test_goldens_cover_many_styles() -> None:
    """At least 45 goldens, and every style of the manifest but 'style' among them."""
    assert len(GOLDENS) >= 45
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip("../shared/corpus/MANIFEST.tsv is not present")
    with manifest.open(encoding="utf-8") as fh:
        styles = {row["file"]: row["style"] for row in csv.DictReader(fh, delimiter="\t")}
    covered = {styles.get(f"cards/{stem}.md") for stem in GOLDENS}
    assert set(styles.values()) - covered <= {"style"}


@pytest.mark.parametrize("path", corpus_cards(), ids=lambda p: p.stem)
def test_every_corpus_card_parses_leniently(path: Path) -> None:
    card = parse(path)
    card.model_dump(mode="json")  # the JSON contract serialises too


def _manifest_rows() -> list[dict[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    with manifest.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["style"] in ("trainer", "keras")]


@pytest.mark.parametrize("row", _manifest_rows(), ids=lambda r: f"{r['style']}-{Path(r['file']).stem}")
def test_trainer_and_keras_cards_with_a_hyperparameters_section_yield_hyperparameters(
    row: dict[str, str],
) -> None:
    path = CORPUS / row["file"]
    text = path.read_text(encoding="utf-8", errors="replace")
    if not _HP_HEADING.search(text):
        pytest.skip("no hyperparameters section")
    hp = parse(path).hyperparameters
    assert not hp.is_empty(), f"{row['file']}: no hyperparameters read"
    stated = hp.model_dump(mode="json")
    assert any(v not in (None, {}, []) for v in stated.values()), f"{row['file']}: all null: {stated}"


def main(argv: list[str]) -> int:
    """Print the parser's current JSON for the given card numbers (to check by reading)."""
    for stem in argv:
        path = CORPUS / "cards" / f"{int(stem):04d}.md"
        print(json.dumps(parse(path).model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
