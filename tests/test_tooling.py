"""ruff and mypy are part of the suite, so the README's one test command is the whole gate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(
    shutil.which("ruff", path=str(Path(sys.executable).parent)) is None, reason="ruff not installed"
)
def test_ruff_is_clean() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_schema_is_current() -> None:
    from modelcard_parser.schema import json_schema_text

    committed = (ROOT / "schema" / "modelcard.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(), "run: modelcard schema > schema/modelcard.schema.json"


def test_readme_documents_every_diagnostic_code() -> None:
    from modelcard_parser import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code for code in sorted(CODES) if f"| {code} |" not in readme]
    assert missing == [], f"add these codes to README.md: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```bash",
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/modelcard parse examples/distilbert-finetuned-imdb.md",
        'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest',
        "```",
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert lines[4] in ci
