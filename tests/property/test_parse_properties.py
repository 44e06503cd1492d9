"""Properties of ``parse`` on arbitrary and mutated input (hypothesis).

The number of examples comes from the hypothesis profile (tests/conftest.py): "ci" by
default, ``--hypothesis-profile=long`` for a longer run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelcard_parser import Limits, ModelCard, parse_text, to_json
from modelcard_parser._names import HP_ALIASES, canonical
from modelcard_parser.schema import json_schema

from ..conftest import corpus_cards
from .cards import SEEDS

jsonschema = pytest.importorskip("jsonschema")
VALIDATOR = jsonschema.Draft202012Validator(json_schema())

# Small limits, so that examples also reach every limit's branch.
SMALL = Limits(
    max_bytes=20_000,
    max_yaml_nodes=300,
    max_yaml_alias_nodes=100,
    max_yaml_depth=8,
    max_table_columns=6,
    max_table_rows=5,
    max_markdown_lines=60,
    max_markdown_bytes=4_000,
)


def line_count(data: str | bytes) -> int:
    """Lines as the parser numbers them: ``\\r\\n``, ``\\r`` and ``\\n`` each end one."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def contract(card: ModelCard) -> str:
    """The JSON contract as text; strict JSON (no NaN or Infinity)."""
    return json.dumps(card.model_dump(mode="json"), sort_keys=True, allow_nan=False)


DEFAULT = Limits()


def check_card(data: str | bytes, limits: Limits = DEFAULT) -> ModelCard:
    """Parse leniently and check every invariant; returns the card."""
    card = parse_text(data, limits=limits)
    n = line_count(data)
    for d in card.diagnostics:
        assert d.line is None or 1 <= d.line <= n, (d, n)
    doc = json.loads(contract(card))
    errors = sorted(VALIDATOR.iter_errors(doc), key=str)
    assert not errors, errors[0]
    json.dumps(to_json(card, with_sources=True), default=str)
    assert contract(parse_text(data, limits=limits)) == contract(card)  # deterministic
    return card


# --- arbitrary input --------------------------------------------------------------------------
# Fragments that cards are made of, so that random text reaches the front matter, the
# YAML, the sections, lists and tables, not just "no front matter, one paragraph".
FRAGMENTS = [
    "---",
    "----",
    "license: mit",
    "tags: [a, b]",
    "model-index:",
    "- name: m",
    "  results:",
    "  - task: {type: t}",
    "    dataset: {name: d, type: d}",
    "    metrics:",
    "    - {type: accuracy, value: 0.9}",
    "    - {type: f1, value: .inf}",
    "    - {type: f1, value: 'nan'}",
    "x: .nan",
    "- optimizer: {'name': 'Adam', 'learning_rate': 1e999, 'beta_1': 1e999, 'epsilon': -1e999}",
    "| 1e999 | 1 | 1 | nan |",
    "a: &a [1, 2]",
    "b: *a",
    "x: !!python/name:os.system ''",
    "# Title",
    "## Training hyperparameters",
    "### Training results",
    "## Framework versions",
    "It achieves the following results on the evaluation set:",
    "- learning_rate: 2e-05",
    "- optimizer: Adam with betas=(0.9,0.999) and epsilon=1e-08",
    "- optimizer: {'name': 'Adam', 'learning_rate': 0.001}",
    "- Loss: 0.5",
    "- Transformers 4.30.2",
    "| Training Loss | Epoch | Step | Validation Loss |",
    "|:---:|:---:|:---:|:---:|",
    "| 0.5 | 1.0 | 10 | 0.4 |",
    "| No log | 2.0 | 20 |",
    "Epoch  Training Loss  Validation Loss",
    "• lr: 1",
    "```",
    "<!--",
    "-->",
    "> quote",
    "    indented",
    "",
    "\t",
    "This model is a fine-tuned version of [b](https://huggingface.co/b) on the imdb dataset.",
    "More information needed",
]
card_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map("\n".join)
newline = st.sampled_from(["\n", "\r\n", "\r"])


@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    check_card(text)


@given(st.binary())
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_card(data)


@given(card_like, newline)
def test_card_like_text(text: str, nl: str) -> None:
    check_card(text.replace("\n", nl))
    check_card(text, SMALL)


@given(card_like.map(lambda t: t.encode("utf-8")), st.binary(max_size=8), st.integers(0, 10_000))
def test_card_like_bytes_with_garbage(data: bytes, garbage: bytes, at: int) -> None:
    at = at % (len(data) + 1)
    check_card(data[:at] + garbage + data[at:])


# --- mutations of real-looking cards ------------------------------------------------------------
def mutate(text: str, ops: list[tuple[str, int, int]]) -> str:
    """Apply line mutations: ("delete"|"duplicate"|"swap", i, j); indices wrap around."""
    lines = text.split("\n")
    for op, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(j, lines[i])
        else:
            lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


ops = st.lists(
    st.tuples(st.sampled_from(["delete", "duplicate", "swap"]), st.integers(0, 500), st.integers(0, 500)),
    min_size=1,
    max_size=6,
)


@pytest.mark.parametrize("name", sorted(SEEDS))
@given(ops=ops, nl=newline)
def test_line_mutations_of_seed_cards(name: str, ops: list[tuple[str, int, int]], nl: str) -> None:
    check_card(mutate(SEEDS[name], ops).replace("\n", nl))


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_truncation_at_every_byte(name: str) -> None:
    """Every prefix of every seed card (a few thousand parses, ~5 s in all)."""
    data = SEEDS[name].encode()
    for end in range(len(data) + 1):
        card = parse_text(data[:end])
        n = line_count(data[:end])
        assert all(d.line is None or 1 <= d.line <= n for d in card.diagnostics)
        contract(card)


@pytest.mark.parametrize("name", sorted(SEEDS))
@given(end=st.integers(0, 10_000), nl=newline)
def test_truncated_crlf_cards(name: str, end: int, nl: str) -> None:
    data = SEEDS[name].replace("\n", nl).encode()
    check_card(data[: end % (len(data) + 1)])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_cards_are_clean_and_typed(name: str) -> None:
    """The seeds themselves: every invariant, and the same card from text, bytes, CRLF."""
    card = check_card(SEEDS[name])
    crlf = parse_text(SEEDS[name].replace("\n", "\r\n").encode())
    assert contract(crlf) == contract(card)


CORPUS = corpus_cards()


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not present")
@given(index=st.integers(0, 10**6), ops=ops, nl=newline, end=st.integers(0, 10**6))
def test_mutations_of_corpus_cards(index: int, ops: list[tuple[str, int, int]], nl: str, end: int) -> None:
    path: Path = CORPUS[index % len(CORPUS)]
    data = mutate(path.read_text(encoding="utf-8", errors="replace"), ops).replace("\n", nl).encode()
    check_card(data[: end % (len(data) + 1) if end % 3 == 0 else len(data)])


# --- nothing silently lost --------------------------------------------------------------------
KNOWN = {"license", "language", "tags", "datasets", "metrics", "library_name", "pipeline_tag",
         "base_model", "model-index", "model_index", "model_name"}  # fmt: skip
# YAML 1.1 reads the keys on/off/yes/no/y/n/true/false/null as bools and null (PyYAML
# does; the key is then "true", "false" or "null"): not an untyped key kept as written.
YAML11_WORDS = {"on", "off", "yes", "no", "y", "n", "true", "false", "null"}
keys = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True).filter(lambda k: k not in YAML11_WORDS)
scalars = st.one_of(
    st.integers(-1000, 1000), st.booleans(), st.none(), st.from_regex(r"[a-z][a-z ]{0,10}", fullmatch=True)
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)


@given(st.dictionaries(keys, values, min_size=1, max_size=8))
def test_extra_keeps_every_untyped_front_matter_key(front: dict[str, Any]) -> None:
    """Every front-matter key that is not a typed field is in ``extra``, as loaded."""
    text = "---\n" + "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items()) + "\n---\n"
    card = check_card(text)
    for key, value in front.items():
        if key not in KNOWN:
            assert card.extra[key] == value


HP_SAMPLE = ["learning_rate", "train_batch_size", "seed", "num_epochs", "optimizer",
             "lr_scheduler_type", "mixed_precision_training", "warmup_ratio"]  # fmt: skip
hp_keys = st.one_of(
    st.sampled_from(HP_SAMPLE),
    st.from_regex(r"[A-Za-z][A-Za-z _]{0,15}", fullmatch=True),
)
hp_values = st.one_of(
    st.sampled_from(["2e-05", "16", "42", "3.0", "linear", "Native AMP", "abc", "", "1,000"]),
    st.from_regex(r"[A-Za-z0-9.\-]{1,12}", fullmatch=True),
)


@given(st.dictionaries(hp_keys, hp_values, min_size=1, max_size=10))
def test_every_hyperparameter_line_is_typed_or_in_extra(hp: dict[str, str]) -> None:
    """Each "- key: value" line is a typed field, or in ``hyperparameters.extra`` as written
    (with MC302 when its key is known but the value unreadable), or has a diagnostic on its
    line (MC309: a second value for a field already set).  Lines that state nothing ("",
    "None") and repeats of an earlier line's value are the only ones not kept."""
    lines = [f"- {k}: {v}" for k, v in hp.items()]
    text = "## Training hyperparameters\n\n" + "\n".join(lines) + "\n"
    card = check_card(text)
    noted = {d.line for d in card.diagnostics}
    seen: dict[str, str] = {}
    for n, (k, v) in enumerate(hp.items(), start=3):
        key, value = k.strip(), v.strip()
        slot = HP_ALIASES.get(canonical(key), key)
        assert (
            card.hyperparameters.extra.get(key) is not None
            or n in card.hyperparameters.lines.values()
            or n in noted
            or value in ("", "None")
            or seen.get(slot) == value
        ), (n, key, value, card.hyperparameters)
        seen.setdefault(slot, value)
