"""Structure-aware fuzzing: cards assembled from the fragments cards are made of.

Byte-level mutation rarely builds a Keras dict literal or a model-index entry; here the
fuzzer's bytes choose fragments (front-matter lines, headings, bullets, table rows, Python
literals, numbers) and splice raw text between them.  Same checks as ``fuzz_parse.py``::

    .venv/bin/python fuzz/fuzz_structured.py -max_total_time=600 /tmp/mc-structured
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["modelcard_parser"]):
    from modelcard_parser import Limits

from fuzz_parse import LIMITS, check

FRONT = [
    "license: {v}",
    "tags: [{v}, {v}]",
    "language:\n- {v}",
    "base_model: {v}",
    "datasets: {v}",
    "x: &a {v}",
    "y: *a",
    "<<: {k: {v}}",
    "model-index:\n- name: {v}\n  results:\n  - task: {type: {v}}\n    dataset: {name: {v}, type: d}\n"
    "    metrics:\n    - {type: {v}, value: {v}}",
    "model_index:\n- name: {v}\n  results:\n  - metric: {type: f1, value: {v}}",
    "z: !!{v} {v}",
    "w: [[{v}]]",
    "? {v}\n: {v}",
]
BODY = [
    "# {v}",
    "## Training hyperparameters",
    "## Training procedure",
    "### Training results",
    "### Framework versions",
    "Training Results",
    "It achieves the following results on {v} evaluation set:",
    "Here are its evaluation results:",
    "- {v}: {v}",
    "- optimizer: {'name': {v}, 'learning_rate': {v}, 'beta_1': {v}, {v}: {v}}",
    "- optimizer: {'inner_optimizer': {'class_name': {v}, 'config': {'learning_rate': {v}}}}",
    "- optimizer: {'name': 'A', 'learning_rate': {'class_name': 'WarmUp', 'config': "
    "{'warmup_steps': {v}, 'decay_schedule_fn': {'class_name': {v}, "
    "'config': {'initial_learning_rate': {v}}}}}}",
    "- optimizer: Adam with betas=({v},{v}) and epsilon={v} and optimizer_args={v}={v}",
    "- lr_scheduler_warmup_steps: {v}",
    "- training_precision: {v}",
    "| Training Loss | Epoch | Step | Validation Loss | {v} |",
    "|:---:|:---:|:---:|:---:|:---:|",
    "| {v} | {v} | {v} | {v} | {v} |",
    "| {v} |",
    "Epoch  Train Loss  {v}",
    "---|---|---",
    "• {v}: {v}",
    "  • {v}",
    "This model is a fine-tuned version of [{v}](https://huggingface.co/{v}) on the {v} dataset.",
    "This model was trained from scratch on {v} datasets.",
    "- Transformers {v}",
    "```",
    "<!-- {v}",
    "> {v}",
    "{v}",
    "",
]
VALUES = [
    "0.5", "1e-05", "3", "-1", "1e999", "nan", ".inf", "-.inf", "No log", "None", "null", "",
    "1" + "0" * 400, "0x" + "f" * 300, "1:2:3", "12:30:45.5", "2021-01-01", "b'\\xff'", "1j",
    "(1, 2)", "{'a': 1}", "{'a': 1e999}", "[1, [2]]", "'s'", "\"q\"", "True", "yes", "~",
    "np.float32(0.1)", "|", "**x**", "[a](b)", "\t", "é", "\x00", "\ufeff", "---", "#",
]  # fmt: skip


def build(fdp: atheris.FuzzedDataProvider) -> str:
    def value() -> str:
        if fdp.ConsumeBool():
            return VALUES[fdp.ConsumeIntInRange(0, len(VALUES) - 1)]
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 12))

    def pick(fragments: list[str]) -> str:
        fragment = fragments[fdp.ConsumeIntInRange(0, len(fragments) - 1)]
        while "{v}" in fragment:
            fragment = fragment.replace("{v}", value(), 1)
        return fragment

    parts: list[str] = []
    if fdp.ConsumeBool():
        parts.append("---" if fdp.ConsumeBool() else "----")
        parts.extend(pick(FRONT) for _ in range(fdp.ConsumeIntInRange(0, 6)))
        parts.append("---")
    for _ in range(fdp.ConsumeIntInRange(0, 30)):
        parts.append(pick(BODY))
    newline = ["\n", "\r\n", "\r"][fdp.ConsumeIntInRange(0, 2)]
    return newline.join(parts)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    text = build(fdp)
    check(text.encode("utf-8", "surrogatepass"), LIMITS)
    if len(text) < 4096:
        check(text.encode("utf-8", "surrogatepass"), Limits())


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
