"""Reading cards (issue #2): input kinds, decoding, front-matter variants, YAML, metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

import modelcard_parser._yaml as yaml_mod
from modelcard_parser import CardParseError, Severity, parse, parse_file, parse_text, to_json
from tests.conftest import EXAMPLES, seed_path

EXAMPLE = EXAMPLES / "distilbert-finetuned-imdb.md"
SMALL = "---\nlicense: mit\ntags:\n- generated_from_trainer\n---\n\n# tiny\n\nBody.\n"


def codes(card: object) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in card.diagnostics]  # type: ignore[attr-defined]


class TestInputKinds:
    def test_path_str_and_pathlike(self) -> None:
        assert parse(str(EXAMPLE)).license == "apache-2.0"
        assert parse(EXAMPLE).license == "apache-2.0"
        assert parse_file(EXAMPLE).path == str(EXAMPLE)

    def test_model_folder_reads_its_readme(self, tmp_path: Path) -> None:
        (tmp_path / "README.md").write_text(SMALL, encoding="utf-8")
        card = parse(tmp_path)
        assert card.model_name == "tiny"
        assert card.path == str(tmp_path / "README.md")

    def test_text_bytes_and_file_objects(self) -> None:
        for source in (SMALL, SMALL.encode(), io.StringIO(SMALL), io.BytesIO(SMALL.encode())):
            card = parse(source)
            assert (card.license, card.tags, card.model_name) == ("mit", ["generated_from_trainer"], "tiny")

    def test_parse_text_never_takes_a_path(self) -> None:
        assert parse_text(str(EXAMPLE)).license is None

    def test_missing_file_raises_oserror_with_the_path(self, tmp_path: Path) -> None:
        missing = tmp_path / "nope.md"
        with pytest.raises(FileNotFoundError) as info:
            parse(missing)
        assert str(missing) in str(info.value)

    def test_unsupported_type(self) -> None:
        with pytest.raises(TypeError, match="cannot read a card from 'int'"):
            parse(42)  # type: ignore[arg-type]


class TestDecoding:
    def test_bom_is_stripped_and_reported(self) -> None:
        card = parse(b"\xef\xbb\xbf" + SMALL.encode())
        assert card.license == "mit"
        assert codes(card) == [("MC114", 1)]

    def test_invalid_utf8_is_replaced_and_located(self) -> None:
        data = SMALL.encode().replace(b"Body.", b"Bo\xffdy.")
        card = parse(data)
        assert codes(card) == [("MC101", 9)]
        assert card.diagnostics[0].message == "invalid UTF-8 byte(s) b'\\xffdy.' replaced by U+FFFD"

    @pytest.mark.parametrize("newline", ["\r\n", "\r"])
    def test_crlf_and_cr_keep_line_numbers(self, newline: str) -> None:
        text = "---\nlicense: mit\nbad: [\n---\n# T\n".replace("\n", newline)
        card = parse_text(text)
        assert card.model_name == "T"
        assert [d.code for d in card.diagnostics] == ["MC120"]
        assert card.diagnostics[0].line == 4  # the '---' that ends the unclosed flow list

    def test_nul_bytes_removed(self) -> None:
        card = parse_text("---\nlicense: mit\n---\n# T\x00itle\n")
        assert card.model_name == "Title"
        assert codes(card) == [("MC103", 4)]


class TestFrontMatterVariants:
    """Each real-card variant: the exact diagnostic and line, and the body still read."""

    def test_unclosed_fence(self) -> None:
        card = parse_text("---\nlicense: mit\ntags:\n- x\n\n# Title\nbody\n")
        assert codes(card) == [("MC110", 1)]
        assert card.license is None
        assert card.model_name == "Title"

    def test_four_dash_fences(self) -> None:
        card = parse_text("----\ntags:\n- conversational\n---\n\n#Peter Parker DialoGPT Model")
        assert codes(card) == [("MC111", 1)]
        assert card.tags == ["conversational"]
        assert card.model_name == "Peter Parker DialoGPT Model"

    def test_five_and_four_dash_fences(self) -> None:
        card = parse_text("-----\ntags:\n- conversational\n----\n# Discord Bot")
        assert codes(card) == [("MC111", 1), ("MC111", 4)]
        assert card.model_name == "Discord Bot"

    @pytest.mark.parametrize(
        ("yaml_text", "kind"),
        [("- a\n- b", "list"), ("just a string", "str"), ("42", "int")],
    )
    def test_front_matter_not_a_mapping(self, yaml_text: str, kind: str) -> None:
        card = parse_text(f"---\n{yaml_text}\n---\n# T\n")
        assert codes(card) == [("MC121", 2)]
        assert card.diagnostics[0].message.startswith(f"front matter is a {kind} ")
        assert "_front_matter" in card.extra
        assert card.model_name == "T"

    def test_garbage_front_matter(self) -> None:
        card = parse_text("---\n@#$@%@#\n---")
        assert codes(card) == [("MC120", 2)]
        assert card.diagnostics[0].column == 1

    def test_two_blocks_are_merged_first_wins(self) -> None:
        card = parse_text("---\nlicense: a\n---\n\n---\nlicense: b\ntags:\n- t\n---\n# T\n")
        assert codes(card) == [("MC113", 5)]
        assert (card.license, card.tags, card.model_name) == ("a", ["t"], "T")

    def test_prose_before_the_fence(self) -> None:
        card = parse_text(
            "Hugging Face's logo\n---\nlanguage: am\ndatasets:\n\n---\n# bert\n## Model description\n"
        )
        assert codes(card) == [("MC112", 1)]
        assert (card.language, card.datasets, card.model_name) == (["am"], [], "bert")

    def test_blank_lines_before_the_fence_are_allowed(self) -> None:
        card = parse_text("\n   \n---\ndatasets:\n- qqp\n---\n\ntext\n")
        assert card.diagnostics == []
        assert card.datasets == ["qqp"]

    def test_tab_before_a_value(self) -> None:
        card = parse_text("---\n\nlanguage: en\n\nlicense:  \tgpl-3.0\n---\n# T\n")
        assert card.license == "gpl-3.0"
        assert [(d.code, d.line, d.column) for d in card.diagnostics] == [("MC125", 5, 11)]

    def test_repeated_opening_fence_reads_the_yaml_like_the_hub(self) -> None:
        card = parse_text("---\n---\nlicense: apache-2.0\nlanguage:\n- ur\n---\n# T\n")
        assert (card.license, card.language, card.model_name) == ("apache-2.0", ["ur"], "T")
        assert codes(card) == [("MC115", 2)]

    def test_empty_front_matter(self) -> None:
        card = parse_text("---\n---\n# T\n")
        assert (card.model_name, card.diagnostics, card.body.has_front_matter) == ("T", [], True)

    def test_no_front_matter(self) -> None:
        card = parse_text("# Just a title\n\nSome text.\n")
        assert card.diagnostics == []
        assert card.body.has_front_matter is False
        assert card.model_name == "Just a title"


class TestYaml:
    def test_syntax_error_is_reported_at_the_card_line(self) -> None:
        text = "---\nlicense: mit\ntags:\n- a\n- b\nlanguage: [en\n---\n# T\n"
        card = parse_text(text)
        assert len(card.diagnostics) == 1
        assert card.diagnostics[0].code == "MC120"
        # libyaml reports the unclosed flow sequence where the document ends
        assert card.diagnostics[0].line == 7

    def test_syntax_error_on_line_6(self) -> None:
        text = "---\nlicense: mit\ntags:\n- a\n- b\nbad: : value\n---\n# T\n"
        card = parse_text(text)
        assert codes(card) == [("MC120", 6)]
        # libyaml says "... in this context", pure-Python PyYAML "... here"
        assert card.diagnostics[0].message.startswith("YAML syntax error: mapping values are not allowed")

    def test_duplicate_keys_keep_the_last(self) -> None:
        card = parse_text("---\nlicense: mit\ntags: [a]\nlicense: apache-2.0\n---\n")
        assert card.license == "apache-2.0"
        assert codes(card) == [("MC122", 4)]
        assert (
            card.diagnostics[0].message == "duplicate key 'license' (first at line 2); the last value is kept"
        )

    def test_python_tags_never_build_objects(self) -> None:
        card = parse_text("---\nlicense: mit\nevil: !!python/object/apply:os.system ['echo pwned']\n---\n")
        assert card.extra == {"evil": None}
        assert codes(card) == [("MC123", 3)]

    def test_billion_laughs_is_bounded(self) -> None:
        """Ends in milliseconds: expansion stops at Limits.max_yaml_alias_nodes."""
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        for i in range(1, 10):
            prev, cur = chr(96 + i), chr(97 + i)
            lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
        card = parse_text("---\n" + "\n".join(lines) + "\n---\n# T\n")
        # 'e: &e [*d, ...]' crosses the limit; e and every later key are null, a-d are read
        assert codes(card) == [("MC124", line) for line in range(6, 12)]
        assert [k for k, v in card.extra.items() if v is not None] == ["a", "b", "c", "d"]
        assert card.model_name == "T"

    def test_keys_are_strings_as_written(self) -> None:
        card = parse_text("---\non: [push]\nyes: 1\nno: 2\n1: x\n---\n")
        assert (card.extra, card.diagnostics) == ({"on": ["push"], "yes": 1, "no": 2, "1": "x"}, [])

    def test_timestamps_stay_strings(self) -> None:
        card = parse_text("---\ndate: 2021-05-01\n---\n")
        assert card.extra == {"date": "2021-05-01"}

    @pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
    def test_same_results_with_and_without_libyaml(
        self, loader: type[yaml.SafeLoader], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(yaml_mod, "_Loader", loader)
        card = parse(EXAMPLE)
        assert card.eval_results[1].metrics == {"accuracy": 0.93124, "f1": 0.9318755512163852}
        tabbed = parse_text("---\nlicense:  \tgpl-3.0\n---\n")
        assert (tabbed.license, codes(tabbed)) == ("gpl-3.0", [("MC125", 2)])


class TestMetadata:
    def test_strings_become_lists(self) -> None:
        card = parse_text("---\nlanguage: en\ndatasets: imdb\nbase_model: bert-base-uncased\n---\n")
        assert (card.language, card.datasets, card.base_model, card.base_models) == (
            ["en"],
            ["imdb"],
            "bert-base-uncased",
            ["bert-base-uncased"],
        )

    def test_base_model_list(self) -> None:
        card = parse_text("---\nbase_model:\n- a/one\n- b/two\n---\n")
        assert (card.base_model, card.base_models) == ("a/one", ["a/one", "b/two"])

    def test_unknown_keys_are_kept_as_written(self) -> None:
        card = parse_text('---\nwidget:\n- text: "Hi"\nco2_eq_emissions:\n  emissions: 1.5\n---\n')
        assert card.extra == {"widget": [{"text": "Hi"}], "co2_eq_emissions": {"emissions": 1.5}}

    def test_ill_typed_field_is_kept_in_extra(self) -> None:
        card = parse_text("---\nlicense:\n  name: mit\n---\n")
        assert card.license is None
        assert card.extra == {"license": {"name": "mit"}}
        assert codes(card) == [("MC201", 3)]

    def test_model_index_entry_errors_name_the_key_path(self) -> None:
        text = (
            "---\nmodel-index:\n- name: m\n  results:\n  - task:\n      type: text-classification\n"
            "    dataset:\n      name: imdb\n      type: imdb\n    metrics:\n    - type: accuracy\n"
            "      value: 0.9\n    - type: f1\n      value: high\n---\n"
        )
        card = parse_text(text)
        (result,) = card.eval_results
        assert result.metrics == {"accuracy": 0.9}
        assert result.extra == {"f1": "high"}
        (diag,) = card.diagnostics
        assert (diag.code, diag.line, diag.path) == (
            "MC202",
            14,
            "model-index[0].results[0].metrics[1].value",
        )
        assert (
            diag.message
            == "'high' is invalid for 'model-index[0].results[0].metrics[1].value': expected a number"
        )

    def test_several_model_index_entries_stay_separate(self) -> None:
        text = (
            "---\nmodel-index:\n- name: a\n  results:\n  - task: {type: t}\n    dataset: {name: d1, type: d1}\n"
            "    metrics: [{type: accuracy, value: 0.5}]\n- name: b\n  results:\n  - task: {type: t}\n"
            "    dataset: {name: d2, type: d2}\n    metrics: [{type: accuracy, value: 0.7}]\n---\n"
        )
        card = parse_text(text)
        assert [(r.model_name, r.dataset, r.metrics) for r in card.eval_results] == [
            ("a", "d1", {"accuracy": 0.5}),
            ("b", "d2", {"accuracy": 0.7}),
        ]
        assert card.model_name == "a"

    def test_legacy_model_index_with_single_metric_mapping(self) -> None:
        text = (
            "---\nmodel_index:\n- name: sst2\n  results:\n  - task:\n      name: Text Classification\n"
            "      type: text-classification\n    dataset:\n      name: GLUE SST2\n      type: glue\n"
            "      args: sst2\n    metric:\n      name: Accuracy\n      type: accuracy\n"
            "      value: 0.9231651376146789\n---\n"
        )
        card = parse_text(text)
        assert codes(card) == [("MC203", 3)]
        (result,) = card.eval_results
        assert (result.dataset, result.dataset_type, result.metrics) == (
            "GLUE SST2",
            "glue",
            {"accuracy": 0.9231651376146789},
        )

    def test_model_index_as_a_mapping(self) -> None:
        card = parse_text("---\nmodel-index:\n  name: old-style\n---\n")
        assert (card.model_name, card.eval_results, card.diagnostics) == ("old-style", [], [])

    def test_same_type_metrics_are_keyed_by_name(self) -> None:
        text = (
            "---\nmodel-index:\n- name: m\n  results:\n  - task: {type: summarization}\n"
            "    dataset: {name: x, type: x}\n    metrics:\n    - {type: rouge, name: Rouge1, value: 40.1}\n"
            "    - {type: rouge, name: Rouge2, value: 18.2}\n    - {type: bleu, name: BLEU, value: 3.0}\n---\n"
        )
        (result,) = parse_text(text).eval_results
        assert result.metrics == {"rouge1": 40.1, "rouge2": 18.2, "bleu": 3.0}
        assert [(d.name, d.type) for d in result.details] == [
            ("Rouge1", "rouge"),
            ("Rouge2", "rouge"),
            ("BLEU", "bleu"),
        ]


class TestSeedMetadata:
    """The front matter of the five seeds, to full precision."""

    def test_seed_000_keras(self) -> None:
        card = parse(seed_path("000"))
        assert card.license == "apache-2.0"
        assert card.language == ["en"]
        assert card.tags == ["generated_from_keras_callback"]
        assert card.datasets == [
            "wikiann",
            "BeardedJohn/NERPERDemo",
            "BeardedJohn/ubb-endava-conll-assistant-ner-only-misc-v2",
        ]
        assert card.library_name == "transformers"
        assert card.base_model == "bert-base-cased"  # from the body link [BERT](…/bert-base-cased)
        assert card.model_name == "bert-finetuned-ner-per-v2"
        assert [r for r in card.eval_results if r.source == "model-index"] == []

    @pytest.mark.parametrize(
        ("seed", "license_", "language", "base", "name", "metrics", "split"),
        [
            (
                "001",
                "apache-2.0",
                [],
                "bert-base-cased",
                "bert-finetuned-ner",
                {
                    "precision": 0.9407949442873773,
                    "recall": 0.9520363513968361,
                    "f1": 0.9463822668339608,
                    "accuracy": 0.9865485371166186,
                },
                None,
            ),
            (
                "003",
                "apache-2.0",
                ["en"],
                "albert-base-v2",
                "albert-base-v2-finetuned-ner",
                {
                    "precision": 0.9252213840603477,
                    "recall": 0.9329732113328189,
                    "f1": 0.9290811285541773,
                    "accuracy": 0.9848205157332728,
                },
                None,
            ),
            (
                "004",
                "mit",
                [],
                "dslim/bert-base-NER",
                "bert-to-distilbert-NER",
                {
                    "precision": 0.014729299363057325,
                    "recall": 0.018680578929653316,
                    "f1": 0.016471286541029827,
                    "accuracy": 0.7599340672278802,
                },
                "train",
            ),
        ],
    )
    def test_trainer_seeds(
        self,
        seed: str,
        license_: str,
        language: list[str],
        base: str,
        name: str,
        metrics: dict[str, float],
        split: str | None,
    ) -> None:
        card = parse(seed_path(seed))
        assert card.license == license_
        assert card.language == language
        assert card.tags == ["generated_from_trainer"]
        assert card.datasets == ["conll2003"]
        assert card.metrics == ["precision", "recall", "f1", "accuracy"]
        assert card.base_model == base
        assert card.model_name == name
        (mi,) = [r for r in card.eval_results if r.source == "model-index"]
        assert (mi.task, mi.task_name, mi.dataset, mi.dataset_type, mi.split) == (
            "token-classification",
            "Token Classification",
            "conll2003",
            "conll2003",
            split,
        )
        assert mi.metrics == metrics

    def test_seed_001_lines(self) -> None:
        card = parse(seed_path("001"))
        (mi,) = [r for r in card.eval_results if r.source == "model-index"]
        assert [(d.key, d.line) for d in mi.details] == [
            ("precision", 25),
            ("recall", 28),
            ("f1", 31),
            ("accuracy", 34),
        ]
        assert card.sources["license"] == 2

    def test_seed_002_has_no_front_matter(self) -> None:
        card = parse(seed_path("002"))
        assert (card.license, card.tags, card.datasets, card.body.has_front_matter) == (None, [], [], False)
        assert card.base_model == "bert-base-cased"


class TestStrictMode:
    def test_strict_raises_one_error_with_every_diagnostic(self) -> None:
        text = "---\nlicense: mit\nlicense: x\nevil: !!python/name:os.system ''\n---\n# T\n"
        with pytest.raises(CardParseError) as info:
            parse_text(text, strict=True)
        err = info.value
        assert [(d.code, d.line) for d in err.diagnostics] == [("MC122", 3), ("MC123", 4)]
        assert str(err).splitlines()[0] == "2 problem(s) in card"
        assert err.errors()[0]["type"] == "MC122"

    def test_strict_passes_a_clean_card(self) -> None:
        assert parse(EXAMPLE, strict=True).diagnostics == []

    def test_info_diagnostics_do_not_fail_strict(self) -> None:
        card = parse_text(
            "This model is a fine-tuned version of [](https://huggingface.co/) on x.\n", strict=True
        )
        assert [(d.code, d.severity) for d in card.diagnostics] == [("MC304", Severity.INFO)]


class TestJson:
    def test_model_dump_is_the_json_contract(self) -> None:
        data = parse(EXAMPLE).model_dump(mode="json")
        assert list(data)[:4] == ["schema_version", "style", "model_name", "base_model"]
        assert "source_line" not in data["training_results"][0]

    def test_with_sources_adds_lines(self) -> None:
        data = to_json(parse(EXAMPLE), with_sources=True)
        assert data["training_results"][0]["source_line"] == 76
        assert data["training_results"][0]["raw"]["Training Loss"] == "0.2937"
        assert data["hyperparameters"]["lines"]["learning_rate"] == 60
        assert data["eval_results"][1]["details"][1]["line"] == 29
