"""Hostile and malformed cards: each returns quickly, with located diagnostics, and the
values around the damage are still read.

Time bounds are stated in each docstring, measured on the 2-core CI machine by
``benchmarks/hostile.py`` (which also reports peak memory); no test asserts on wall-clock
time.  The limits involved are ``modelcard_parser.Limits`` (README, "Limits").
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import yaml

from modelcard_parser import Limits, ModelCard, parse, parse_text
from modelcard_parser import _yaml as yaml_mod

LOADERS = [
    pytest.param(yaml.SafeLoader, id="SafeLoader"),
    pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="CSafeLoader"),
]

# A Trainer-style body: hyperparameters, a results table, framework versions.
BODY = """\
# demo-model

## Training procedure

### Training hyperparameters

The following hyperparameters were used during training:
- learning_rate: 2e-05
- train_batch_size: 16
- seed: 42

### Training results

| Training Loss | Epoch | Step | Validation Loss |
|:-------------:|:-----:|:----:|:---------------:|
| 0.5           | 1.0   | 10   | 0.4             |
| 0.3           | 2.0   | 20   | 0.35            |

### Framework versions

- Transformers 4.30.2
- Pytorch 2.0.1
"""


def card_text(front: list[str] | None, body: str = BODY) -> str:
    """``---`` + the front-matter lines + ``---`` + the body (front matter from line 2)."""
    if front is None:
        return body
    return "---\n" + "\n".join(front) + "\n---\n" + body


def codes(card: ModelCard) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in card.diagnostics]


def body_read(card: ModelCard) -> bool:
    """The whole of BODY was read."""
    return (
        card.model_name == "demo-model"
        and card.hyperparameters.learning_rate == 2e-05
        and card.hyperparameters.seed == 42
        and [r.validation_loss for r in card.training_results] == [0.4, 0.35]
        and card.framework_versions == {"transformers": "4.30.2", "pytorch": "2.0.1"}
    )


def dump(card: ModelCard) -> str:
    return json.dumps(card.model_dump(mode="json"), sort_keys=True)


# --- YAML ---------------------------------------------------------------------------------
def laughs(levels: int = 10) -> list[str]:
    """The billion-laughs document: 9**levels nodes once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return lines


class TestYamlBombs:
    @pytest.mark.parametrize("loader", LOADERS)
    def test_billion_laughs(self, loader: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
        """A billion nodes once expanded; ends in ~30 ms, memory < 5 MB.

        Expansion stops at Limits.max_yaml_alias_nodes (10,000): 'e' (line 7) is the first
        key past it; it and every later alias key are null, each with MC124 on its line;
        the keys before and after (license, tags) and the body are read.
        """
        monkeypatch.setattr(yaml_mod, "_Loader", loader)
        card = parse_text(card_text(["license: mit", *laughs(), "tags: [x]"]))
        assert codes(card) == [("MC124", line) for line in range(7, 13)]
        assert card.diagnostics[0].message == (
            "YAML aliases expand to more than 10,000 nodes; 'e' set to null"
        )
        assert (card.license, card.tags) == ("mit", ["x"])
        assert [k for k, v in card.extra.items() if v is not None] == ["a", "b", "c", "d"]
        assert [k for k, v in card.extra.items() if v is None] == list("efghij")
        assert len(card.extra["d"]) == 9
        assert body_read(card)

    def test_alias_limit_is_configurable(self) -> None:
        text = card_text(["license: mit", *laughs(3)])  # b: 9 * 10 alias nodes, c: 9 * 91 more
        assert codes(parse_text(text)) == []
        card = parse_text(text, limits=Limits(max_yaml_alias_nodes=100))
        assert codes(card) == [("MC124", 5)]
        assert (card.extra["c"], card.license) == (None, "mit")

    def test_recursive_alias(self) -> None:
        """A mapping that merges itself: never expanded forever."""
        card = parse_text(card_text(["license: mit", "a: &a {b: *a}"]))
        assert [c for c, _ in codes(card)] in (["MC120"], ["MC124"])
        assert card.license in ("mit", None)

    @pytest.mark.parametrize(
        ("value", "tag"),
        [
            ("!!python/object/apply:os.system ['echo pwned']", "python/object/apply:os.system"),
            ("!!python/object/new:os.system ['echo pwned']", "python/object/new:os.system"),
            ("!!python/object:os._wrap_close {a: 1}", "python/object:os._wrap_close"),
            ("!!python/name:os.system ''", "python/name:os.system"),
            ("!!python/module:os ''", "python/module:os"),
            ("!!python/tuple [1, 2]", "python/tuple"),
            ("!<tag:yaml.org,2002:python/object/apply:os.system> [echo]", "python/object/apply:os.system"),
        ],
    )
    @pytest.mark.parametrize("loader", LOADERS)
    def test_python_tags_build_nothing(
        self, value: str, tag: str, loader: type[Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No tag ever builds a Python object or calls anything; the value is null (MC123)."""
        monkeypatch.setattr(yaml_mod, "_Loader", loader)
        called: list[object] = []
        monkeypatch.setattr(os, "system", lambda *a: called.append(a))
        card = parse_text(card_text(["license: mit", f"evil: {value}", "tags:", f"- {value}", "- ok"]))
        assert called == []
        assert codes(card) == [("MC123", 3), ("MC123", 5)]
        assert card.diagnostics[0].message == (
            f"YAML tag 'tag:yaml.org,2002:{tag}' is not allowed; value set to null"
        )
        assert card.extra["evil"] is None
        assert card.license == "mit"
        assert card.tags == ["ok"]  # the item that became null (MC123) is not a tag
        assert body_read(card)

    def test_unknown_local_tags_keep_the_text(self) -> None:
        card = parse_text(card_text(["license: !custom mit", "n: !!binary aGk="]))
        assert codes(card) == [("MC123", 2)]
        assert (card.license, card.extra["n"]) == ("mit", "aGk=")


NESTED = {
    "flow-seq": lambda n: "x: " + "[" * n + "]" * n,
    "flow-map": lambda n: "x: " + "{a: " * n + "}" * n,
    "block-seq": lambda n: "x:\n" + "- " * n + "leaf",
}


class TestYamlNesting:
    @pytest.mark.parametrize("shape", sorted(NESTED))
    def test_10000_levels_same_with_and_without_libyaml(
        self, shape: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """10,000 levels: ends in ~5 ms with either loader (the nesting limit is checked
        while composing; libyaml's own composer took 0.9 s, pure PyYAML overflowed the
        stack).  The block is not read (MC124 on the line of the 101st level), the body is.
        """
        results = []
        for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            monkeypatch.setattr(yaml_mod, "_Loader", loader)
            results.append(parse_text(card_text(["license: mit", NESTED[shape](10_000)])))
        safe, fast = results
        assert dump(safe) == dump(fast)
        assert codes(safe) == [("MC124", 3 if shape.startswith("flow") else 4)]
        assert safe.diagnostics[0].message == "YAML nested deeper than 100; front matter ignored"
        assert safe.license is None  # the block could not be composed: none of it is read
        assert body_read(safe)

    @pytest.mark.parametrize("loader", LOADERS)
    def test_depth_limit_is_configurable(self, loader: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(yaml_mod, "_Loader", loader)
        text = card_text(["license: mit", "x: [[[[[1]]]]]"])  # x is at depth 1, the 1 at 6
        assert parse_text(text, limits=Limits(max_yaml_depth=6)).extra == {"x": [[[[[1]]]]]}
        card = parse_text(text, limits=Limits(max_yaml_depth=5))
        assert codes(card) == [("MC124", 3)]

    def test_100000_keys(self) -> None:
        """100,000 keys (200,001 YAML nodes): composing stops at Limits.max_yaml_nodes
        (100,000), on the line of key 50,000; ends in ~0.8 s, memory < 120 MB."""
        front = [f"k{i}: v{i}" for i in range(100_000)]
        card = parse_text(card_text(front))
        assert codes(card) == [("MC124", 50_001)]
        assert card.diagnostics[0].message == "more than 100,000 YAML nodes; front matter ignored"
        assert card.extra == {}
        assert body_read(card)

    def test_many_keys_within_a_raised_limit(self) -> None:
        """20,000 keys with max_yaml_nodes raised: all read, in order, ~0.3 s."""
        front = [f"k{i}: {i}" for i in range(20_000)]
        card = parse_text(card_text(front), limits=Limits(max_yaml_nodes=50_000))
        assert codes(card) == []
        assert list(card.extra) == [f"k{i}" for i in range(20_000)]
        assert card.extra["k19999"] == 19_999
        assert card.sources["k19999"] == 20_001


# --- size -----------------------------------------------------------------------------------
FILLER = "Plain prose that says nothing in particular, over and over again. " * 2 + "\n"


def big_card(filler_lines: int, section: str = "## Model description") -> str:
    """BODY with ``filler_lines`` lines of prose in ``section``, before the hyperparameters
    (which follow under "## Training procedure")."""
    head, tail = BODY.split("## Training procedure")
    filler = f"{section}\n\n" + FILLER * filler_lines + "\n"
    return card_text(["license: mit"], head + filler + "## Training procedure" + tail)


class TestSize:
    def test_5_mb_card(self) -> None:
        """5 MB (38,000 lines of prose in a section no extractor reads): everything read,
        no diagnostic; ~0.6 s, memory ~3x the card."""
        text = big_card(38_000)
        assert len(text) > 5_000_000
        card = parse_text(text)
        assert codes(card) == []
        assert card.license == "mit"
        assert body_read(card)

    def test_5_mb_section_that_is_read(self) -> None:
        """The 5 MB of prose in the hyperparameters section: the markdown budget
        (Limits.max_markdown_bytes, 1 MiB) stops reading it (MC322 on the first line not
        read, ~7,900); the front matter and the title are read, and nothing else is: the
        budget is spent.  ~0.7 s."""
        head, tail = BODY.split("- learning_rate")
        text = card_text(["license: mit"], head + FILLER * 38_000 + "\n- learning_rate" + tail)
        card = parse_text(text)
        lines = text.split("\n")
        spent, first_unread = 0, 9  # the section's first line
        while spent + len(lines[first_unread - 1]) + 1 <= 1024 * 1024:
            spent += len(lines[first_unread - 1]) + 1
            first_unread += 1
        assert codes(card) == [("MC322", first_unread)]
        assert (card.license, card.model_name) == ("mit", "demo-model")
        assert card.hyperparameters.learning_rate is None
        assert card.training_results == []
        raised = Limits(max_markdown_bytes=8_000_000, max_markdown_lines=100_000)
        assert body_read(parse_text(text, limits=raised))  # read whole when the budget allows

    def test_5_mb_card_over_a_lower_max_bytes(self) -> None:
        """Cut at Limits.max_bytes: MC102 on the line where reading stopped; what comes
        before it is read, the results table after it is not."""
        text = card_text(["license: mit"], BODY + "\n## Appendix\n\n" + FILLER * 38_000)
        cut_line = text[: 1024 * 1024].count("\n") + 1
        for data in (text, text.encode()):
            card = parse(data, limits=Limits(max_bytes=1024 * 1024))
            assert codes(card) == [("MC102", cut_line)]
            assert card.license == "mit"
        assert body_read(card)

    def test_max_bytes_never_splits_a_character(self) -> None:
        data = ("---\nlicense: mit\n---\n# é\n" + "é" * 100).encode()
        card = parse(data, limits=Limits(max_bytes=len(data) - 1))  # cuts inside the last é
        assert codes(card) == [("MC102", 5)]  # and no MC101 for half a character

    @pytest.mark.parametrize(
        ("name", "line"),
        [
            ("letters", "a" * 1_000_000),
            ("spaces", " " * 1_000_000 + "x"),
            ("heading-hashes", "#" + " #" * 500_000 + "!"),
            ("links", "[a](" * 250_000),
            ("fine-tuned-links", "fine-tuned version of [" * 43_479),
            ("dataset-phrases", "trained from scratch on " * 41_666),
            ("pipes", "| " * 500_000),
            ("delimiter", "|" + " " * 1_000_000 + "|x"),
            ("emphasis", "**a" * 333_333),
        ],
    )
    def test_1_mb_single_line(self, name: str, line: str) -> None:
        """A 1 MB line in the middle of a section the extractors read: each shape used to
        be quadratic in one regular expression (hours at 1 MB); now < 1 s."""
        body = BODY.replace("### Training results\n", "### Training results\n\n" + line + "\n")
        text = card_text(["license: mit"], body)
        card = parse_text(text)
        assert codes(card) == []
        assert body_read(card)

    def test_1_mb_heading(self) -> None:
        """``# `` + 1 MB: the title is read whole (~0.2 s)."""
        card = parse_text("# " + "x" * 1_000_000 + "\n" + BODY.split("\n", 1)[1])
        assert card.model_name == "x" * 1_000_000
        assert card.hyperparameters.learning_rate == 2e-05

    def test_1_mb_yaml_value_and_hyperparameter(self) -> None:
        """1 MB of digits as a YAML value and a hyperparameter value: kept as written
        (MC126: a 1,000,000-digit int raised ValueError in Python; MC302: not a number)."""
        big = "9" * 1_000_000
        body = BODY.replace("- seed: 42", f"- seed: 42\n- warmup_ratio: {big}")
        card = parse_text(card_text(["license: mit", f"description: {big}"], body))
        assert codes(card) == [("MC126", 3), ("MC302", 15)]
        assert card.extra["description"] == big
        assert card.hyperparameters.extra["warmup_ratio"] == big
        assert body_read(card)

    def test_1_mb_results_cell(self) -> None:
        """1 MB in a results cell: kept as written in the row's extra (MC303)."""
        big = "9" * 1_000_000
        card = parse_text(
            card_text(["license: mit"], BODY.replace("| 0.3           | 2.0", f"| {big} | 2.0"))
        )
        assert codes(card) == [("MC303", 20)]
        assert card.training_results[1].extra["Training Loss"] == big
        assert card.training_results[1].validation_loss == 0.35


# --- bytes ------------------------------------------------------------------------------------
class TestBytes:
    def test_nul_bytes(self) -> None:
        """NULs removed (MC103 on the first one's line); the rest is read."""
        text = card_text(["license: m\x00it", "tags: [a\x00]"], BODY.replace("- seed: 42", "- seed: 4\x002"))
        card = parse_text(text)
        assert codes(card) == [("MC103", 2)]
        assert card.diagnostics[0].message == "3 NUL character(s) removed"
        assert (card.license, card.tags) == ("mit", ["a"])
        assert body_read(card)

    @pytest.mark.parametrize(
        ("bad", "line"),
        [
            (b"\xff", 2),  # never valid
            (b"\xc0\xaf", 2),  # overlong '/'
            (b"\xed\xa0\x80", 2),  # an encoded surrogate
            (b"\xe2\x82", 2),  # a truncated sequence
        ],
    )
    def test_invalid_utf8(self, bad: bytes, line: int) -> None:
        """Replaced by U+FFFD (MC101 on the first bad byte's line); the rest is read."""
        data = card_text(["license: mit", "thumbnail: X"]).encode().replace(b"X", bad)
        data = data.replace(b"- seed: 42", b"- seed: 42\n- note: " + bad)
        card = parse(data)
        assert codes(card) == [("MC101", line + 1)]
        assert "\ufffd" in card.extra["thumbnail"]
        assert card.hyperparameters.extra["note"].startswith("\ufffd")
        assert card.license == "mit"
        assert body_read(card)

    @pytest.mark.parametrize("nl", [b"\n", b"\r\n", b"\r"])
    def test_located_with_any_newline(self, nl: bytes) -> None:
        """MC101 and MC102 count \\r\\n, \\r and \\n as one line end each, as the parser does."""
        data = nl.join([b"---", b"license: mit", b"---", b"# T", b"bad \xff", b"x" * 50, b"y"])
        assert codes(parse(data)) == [("MC101", 5)]
        assert codes(parse(data, limits=Limits(max_bytes=len(data) - 5))) == [("MC101", 5), ("MC102", 6)]

    def test_binary_garbage(self) -> None:
        """Random-looking bytes: no exception, every diagnostic inside the file."""
        data = bytes(range(256)) * 64
        card = parse(data)
        lines = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        assert {d.code for d in card.diagnostics} <= {"MC101", "MC103"}
        assert all(d.line is None or 1 <= d.line <= lines for d in card.diagnostics)


# --- tables -----------------------------------------------------------------------------------
class TestTables:
    def test_10000_columns(self) -> None:
        """Cut to Limits.max_table_columns (256): MC320 on the header line; the first
        columns are read (~0.15 s)."""
        extra = [f"m{i}" for i in range(9_996)]
        header = "| Training Loss | Epoch | Step | Validation Loss | " + " | ".join(extra) + " |"
        delim = "|" + "---|" * 10_000
        row = "| 0.5 | 1.0 | 10 | 0.4 | " + " | ".join(["0.1"] * 9_996) + " |"
        body = (
            BODY.split("### Training results", 1)[0] + f"### Training results\n\n{header}\n{delim}\n{row}\n"
        )
        card = parse_text(card_text(["license: mit"], body))
        assert codes(card) == [("MC320", 17)]
        assert card.diagnostics[0].message == (
            "table has 10,000 columns, over the limit of 256 (Limits.max_table_columns); "
            "the columns after it were not read"
        )
        (result,) = card.training_results
        assert (result.training_loss, result.epoch, result.step, result.validation_loss) == (
            0.5,
            1.0,
            10,
            0.4,
        )
        assert list(result.metrics) == [f"m{i}" for i in range(252)]
        assert card.hyperparameters.learning_rate == 2e-05

    def test_100000_rows(self) -> None:
        """Rows past Limits.max_table_rows (10,000) are blanked before tokenizing (MC320
        on the header line); the markdown budget (20,000 lines) then ends the section
        (MC322) and leaves the framework versions unread.  ~1 s, memory < 100 MB."""
        rows = "".join(f"| 0.5 | {i} | {i} | 0.4 |\n" for i in range(100_000))
        body = BODY.replace("| 0.5           | 1.0   | 10   | 0.4             |\n", rows)
        card = parse_text(card_text(["license: mit"], body))
        # The hyperparameters section (6 lines) is read first: 19,994 lines are left.
        assert codes(card) == [("MC320", 17), ("MC322", 16 + 19_994)]
        assert card.diagnostics[0].message == (
            "table has more than 10,000 rows (Limits.max_table_rows); the rows from line "
            "10019 to line 20009 were not read"
        )
        assert len(card.training_results) == 10_000
        assert card.training_results[-1].step == 9_999
        assert card.hyperparameters.learning_rate == 2e-05
        assert card.framework_versions == {}

    def test_table_limits_are_configurable(self) -> None:
        rows = "".join(f"| 0.5 | {i} | {i} | 0.4 |\n" for i in range(50))
        body = BODY.replace("| 0.5           | 1.0   | 10   | 0.4             |\n", rows)
        card = parse_text(card_text(None, body), limits=Limits(max_table_rows=20, max_table_columns=3))
        assert codes(card) == [("MC320", 14), ("MC320", 14)]
        assert len(card.training_results) == 20
        assert card.training_results[0].validation_loss is None  # the 4th column was cut
        assert body_read(parse_text(card_text(None, body))) is False  # 51 rows, not 2
        assert len(parse_text(card_text(None, body)).training_results) == 51


# --- markdown nesting -------------------------------------------------------------------------
class TestMarkdownNesting:
    @pytest.mark.parametrize("marker", ["- ", "> ", "1. ", "* > "])
    def test_50000_nested_on_one_line(self, marker: str) -> None:
        """50,000 nested list items or block quotes on one line: markdown-it stops at 20
        levels and skips the rest of that block; MC321 on the line says so (~0.2 s)."""
        hp = "- learning_rate: 2e-05\n- train_batch_size: 16\n- seed: 42\n"
        nested = marker * 50_000 + "x\n"
        card = parse_text(card_text(None, BODY.replace(hp, hp + "\n" + nested)))
        assert codes(card) == [("MC321", 12)]
        assert body_read(card)

    @pytest.mark.parametrize("kind", ["list", "quote"])
    def test_50000_nested_lines(self, kind: str) -> None:
        """50,000 lines nesting and un-nesting 40 deep: MC321 on the first line past 20
        levels; the markdown budget (20,000 lines) ends the section (MC322); ~1.5 s."""
        if kind == "list":
            lines = "".join("  " * (i % 40) + "- item: 1\n" for i in range(50_000))
            first_deep = 12 + 9  # the 10th list: its item opens at token level 19
        else:
            lines = "".join(">" * (i % 40 + 1) + " item: 1\n" for i in range(50_000))
            first_deep = 12 + 19  # the 20th quote: opens at token level 19
        hp = "- learning_rate: 2e-05\n- train_batch_size: 16\n- seed: 42\n"
        card = parse_text(card_text(None, BODY.replace(hp, hp + "\n" + lines)))
        assert [c for c, _ in codes(card)] == ["MC321", "MC322"]
        assert codes(card)[0][1] == first_deep
        assert card.hyperparameters.learning_rate == 2e-05
