"""Strict mode raises one CardParseError with every problem; lenient mode loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelcard_parser import CardParseError, Limits, Severity, parse, parse_text

from .property.cards import HAND_EDITED, METADATA, SEEDS


def serious(text: str | bytes, limits: Limits | None = None) -> list[tuple[str, int | None]]:
    card = parse_text(text, limits=limits or Limits())
    return [(d.code, d.line) for d in card.diagnostics if d.severity is not Severity.INFO]


class TestStrict:
    def test_every_problem_in_one_error(self) -> None:
        """The hand-edited seed has eight problems on seven lines: all of them, in order,
        each with its code and line, in one exception."""
        with pytest.raises(CardParseError) as info:
            parse_text(HAND_EDITED, strict=True)
        err = info.value
        expected = [
            ("MC112", 1),
            ("MC111", 2),
            ("MC111", 12),
            ("MC113", 13),
            ("MC302", 27),
            ("MC301", 37),
            ("MC301", 38),
        ]
        assert [(d.code, d.line) for d in err.diagnostics] == expected
        lines = str(err).splitlines()
        assert lines[0] == "7 problem(s) in card"
        assert [line.split(" ", 2)[:2] for line in lines[1:]] == [
            [f"<card>:{n}:", code] for code, n in expected
        ]
        assert [e["type"] for e in err.errors()] == [c for c, _ in expected]
        assert [e["line"] for e in err.errors()] == [n for _, n in expected]

    def test_info_diagnostics_are_not_problems(self) -> None:
        """MC306 (a table recovered from broken markdown) is info: not in the error."""
        card = parse_text(HAND_EDITED)
        assert ("MC306", 34) in [(d.code, d.line) for d in card.diagnostics]
        with pytest.raises(CardParseError) as info:
            parse_text(HAND_EDITED, strict=True)
        assert "MC306" not in {d.code for d in info.value.diagnostics}

    def test_error_names_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "README.md"
        path.write_text(METADATA, encoding="utf-8")
        with pytest.raises(CardParseError) as info:
            parse(path, strict=True)
        assert info.value.path == str(path)
        assert str(info.value).splitlines()[1].startswith(f"{path}:5: MC201 [warning]")

    @pytest.mark.parametrize("name", ["trainer", "keras", "prose"])
    def test_clean_cards_pass(self, name: str) -> None:
        assert parse_text(SEEDS[name], strict=True).diagnostics == []

    def test_hostile_limits_are_problems(self) -> None:
        """A limit that cut something is a warning or an error: strict mode reports it."""
        text = "## Training hyperparameters\n\n" + "- " * 100 + "x\n"
        with pytest.raises(CardParseError) as info:
            parse_text(text, strict=True)
        assert [(d.code, d.line) for d in info.value.diagnostics] == [("MC321", 3)]
        with pytest.raises(CardParseError) as info:
            parse_text("---\nx: [[[1]]]\n---\n", strict=True, limits=Limits(max_yaml_depth=2))
        assert [(d.code, d.line) for d in info.value.diagnostics] == [("MC124", 2)]

    @given(st.sampled_from(sorted(SEEDS)), st.lists(st.integers(0, 200), max_size=4))
    def test_strict_raises_exactly_when_lenient_has_problems(self, name: str, drop: list[int]) -> None:
        """For any card: strict raises iff lenient mode has error/warning diagnostics, and
        the exception lists exactly those."""
        lines = SEEDS[name].split("\n")
        for i in drop:
            if lines:
                del lines[i % len(lines)]
        text = "\n".join(lines)
        expected = serious(text)
        if expected:
            with pytest.raises(CardParseError) as info:
                parse_text(text, strict=True)
            assert [(d.code, d.line) for d in info.value.diagnostics] == expected
        else:
            parse_text(text, strict=True)


class TestNothingSilentlyLost:
    def test_every_untyped_front_matter_key_is_in_extra(self) -> None:
        card = parse_text(HAND_EDITED)
        assert card.extra == {
            "thumbnail": "https://example.org/t.png",
            "co2_eq_emissions": {"emissions": 12.5, "source": "codecarbon"},
            "widget": [{"text": "Paris is the [MASK] of France."}],
        }
        assert (card.language, card.license, card.tags, card.datasets) == (
            ["en", "de"],
            "cc-by-4.0",
            ["bert"],
            ["wikiann"],  # from the second block (MC113)
        )

    def test_ill_typed_known_keys_are_kept_in_extra(self) -> None:
        """A typed key whose value has the wrong type is in extra as loaded (MC201/MC202)."""
        card = parse_text(METADATA)
        assert card.extra["tags"] == ["a", {"nested": "map"}]
        assert card.tags == ["a"]
        assert {"date", "anchors", "merged"} <= set(card.extra)
        assert card.extra["merged"] == {"k": "v", "own": 1}
        assert [(d.code, d.line) for d in card.diagnostics if d.code == "MC201"] == [("MC201", 5)]

    def test_every_hyperparameter_line_not_typed_is_in_extra(self) -> None:
        text = (
            "## Training hyperparameters\n\n"
            "- learning_rate: 3e-05\n"
            "- dataloader_workers: 4\n"
            "- num_epochs: three\n"
            "- Warmup: linear, 10%\n"
            "- train_batch_size: 16\n"
            "- seed: 1,000\n"
        )
        card = parse_text(text)
        hp = card.hyperparameters
        assert (hp.learning_rate, hp.train_batch_size, hp.seed) == (3e-05, 16, 1000)
        assert hp.extra == {"dataloader_workers": "4", "num_epochs": "three", "Warmup": "linear, 10%"}
        assert [(d.code, d.line) for d in card.diagnostics] == [("MC302", 5)]
        assert set(hp.raw) == {
            "learning_rate",
            "dataloader_workers",
            "num_epochs",
            "Warmup",
            "train_batch_size",
            "seed",
        }
