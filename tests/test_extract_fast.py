"""The body extractors' shortcuts give what the plain tests they skip would give.

hyperparameters runs its placeholder regexes only on values that can match them,
evaluation its sentence regex only on lines with a colon, results reads a section only
when it (and the card) holds a pipe, and framework's item match and split_key_value are
memoised per text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelcard_parser import parse_raw
from modelcard_parser._extract import evaluation, framework, hyperparameters, results
from modelcard_parser._extract._body import Body
from modelcard_parser._sections import scan
from tests.conftest import FIXTURES, corpus_cards

VALUE_PIECES = [
    "more information needed",
    "More Information Needed",
    "MORE INFORMATION NEEDED",
    "more ınformation needed",  # dotless i: re.IGNORECASE matches it to "i"
    "more information",
    "[",
    "]",
    " ",
    "\t",
    "\u00a0",
    "<!--",
    "-->",
    "<!-- c -->",
    "2e-05",
    "x",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(VALUE_PIECES), max_size=7))
def test_placeholder_guard_is_the_regexes(pieces: list[str]) -> None:
    value = "".join(pieces)
    guarded = (
        len(value) >= hyperparameters._PLACEHOLDER_MIN or "<!--" in value
    ) and hyperparameters._placeholder(value)
    plain = hyperparameters._PLACEHOLDER.match(hyperparameters._COMMENT.sub("", value)) is not None
    assert guarded == plain, value


def test_placeholders_are_not_hyperparameters() -> None:
    card = "# m\n\n## Training hyperparameters\n\n- a: 1\n- b: [More Information Needed]\n- c: <!-- x -->more information needed\n"
    assert [(f.key, f.value) for f in parse_raw(card).hyperparameters] == [("a", "1")]


SENTENCE_PIECES = [
    "It achieves the following results on the evaluation set",
    "achieves the following results on the NERPERDemo evaluation set",
    "Here are its evaluation results",
    "the evaluation results",
    "EVALUATION",
    ":",
    " ",
    "\t",
    "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), max_size=6))
def test_every_sentence_has_a_colon(pieces: list[str]) -> None:
    line = "".join(pieces)
    if evaluation._SENTENCE.search(line):
        assert ":" in line


def _may_hold_table_by_lines(body: Body, start: int, end: int) -> bool:
    """results._may_hold_table as it was: a test of every line."""
    prev = ""
    for line in body.lines[start - 1 : end - 1]:
        if "|" in line:
            low = line.lower()
            if "loss" in low and ("epoch" in low or "step" in low):
                return True
            if "|" not in prev and results._DELIM.match(line):
                low = prev.lower()
                if "loss" in low and ("epoch" in low or "step" in low):
                    return True
        prev = line
    return False


def _texts() -> list[str]:
    paths = sorted((FIXTURES / "cards").glob("*.md")) + corpus_cards()
    made = "# m\n\n## Training results\n\nLoss  Epoch\n|---|---|\n| 1 | 2 |\n\n| Loss | Step |\n|--|--|\n"
    return [made] + [p.read_text(encoding="utf-8", errors="replace") for p in paths]


def test_results_prefilters_are_the_line_test() -> None:
    """Per section, and per card: no pipe in the body, no results table."""
    sections = 0
    for text in _texts():
        lines = text.split("\n")
        body = Body(lines, scan(lines, 1))
        for section in body.sections:
            expected = _may_hold_table_by_lines(body, section.start, section.own_end)
            assert results._may_hold_table(body, section.start, section.own_end) == expected
            sections += expected
        if "|" not in body.text:
            assert not parse_raw(text).results_tables
    assert sections >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Transformers 4.12.3",
        "TRL: 0.26.2",
        "**Pytorch** 2.1",
        "Name **: 1.0",
        "Torch 1.9 2.0",
        "no version",
        "",
    ],
)
def test_name_version_is_the_item_match(text: str) -> None:
    framework._name_version.cache_clear()
    m = framework._ITEM.match(text)
    expected = (m.group("name"), m.group("version")) if m else None
    assert framework._name_version(text) == expected
    assert framework._name_version(text) == expected  # from the cache


@pytest.mark.parametrize(
    "text",
    ["**Learning Rate**: 2e-05", "`seed`: 42", "Loss: __0.2__", "no colon", ": no key", "k" * 81 + ": 1"],
)
def test_split_key_value_cached_is_the_split(text: str) -> None:
    from modelcard_parser._extract._body import split_key_value

    split_key_value.cache_clear()  # type: ignore[attr-defined]
    expected = split_key_value.__wrapped__(text)  # type: ignore[attr-defined]
    assert split_key_value(text) == expected
    assert split_key_value(text) == expected  # from the cache
