"""Coverage-guided fuzzing of ``parse`` with atheris (libFuzzer).

Every input is parsed in lenient mode and must never raise; the card must also keep the
invariants the property tests state: every diagnostic's line lies in the file, the JSON
contract serialises as strict JSON (no NaN/Infinity), and a second parse gives the same
JSON.  Run (see fuzz/README.md)::

    .venv/bin/python fuzz/fuzz_parse.py -max_total_time=600 /tmp/mc-corpus fuzz/seeds

A crash leaves ``crash-<sha1>`` in the working directory; add its bytes to
``tests/test_fuzz_regressions.py``.
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports(include=["modelcard_parser"]):
    from modelcard_parser import Limits, parse_text, to_json

# Smaller limits than the defaults, so that the fuzzer also reaches every limit's branch.
LIMITS = Limits(
    max_bytes=64 * 1024,
    max_yaml_nodes=2_000,
    max_yaml_alias_nodes=500,
    max_yaml_depth=30,
    max_table_columns=16,
    max_table_rows=64,
    max_markdown_lines=400,
    max_markdown_bytes=32 * 1024,
)


def line_count(data: bytes, limits: Limits) -> int:
    """Lines of the file as the parser numbers them (\\r\\n, \\r and \\n each end one)."""
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def check(data: bytes, limits: Limits) -> None:
    card = parse_text(data, limits=limits)
    n = line_count(data, limits)
    for d in card.diagnostics:
        if d.line is not None and not 1 <= d.line <= n:
            raise AssertionError(f"{d.code} on line {d.line}, the file has {n}: {d.message}")
    first = json.dumps(card.model_dump(mode="json"), sort_keys=True, allow_nan=False)
    json.dumps(to_json(card, with_sources=True), default=str, allow_nan=False)
    again = json.dumps(
        parse_text(data, limits=limits).model_dump(mode="json"), sort_keys=True, allow_nan=False
    )
    if first != again:
        raise AssertionError("parsing the same bytes twice gave different JSON")


def test_one_input(data: bytes) -> None:
    check(data, LIMITS)
    if len(data) < 4096:
        check(data, Limits())  # the defaults too, on small inputs (cheap)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
