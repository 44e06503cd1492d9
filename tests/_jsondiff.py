"""Readable differences between two JSON values, one line per differing path."""

from __future__ import annotations

import json
from typing import Any

_SHOWN = 120


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def json_diff(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Every difference, as ``path: expected X, got Y`` (lists compared item by item)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in expected:
            sub = f"{path}.{key}"
            if key not in actual:
                out.append(f"{sub}: missing (expected {_show(expected[key])})")
            else:
                out.extend(json_diff(expected[key], actual[key], sub))
        out.extend(f"{path}.{key}: unexpected {_show(actual[key])}" for key in actual if key not in expected)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        out = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            out.extend(json_diff(e, a, f"{path}[{i}]"))
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} items expected, got {len(actual)}")
            longer = expected if len(expected) > len(actual) else actual
            word = "missing" if longer is expected else "unexpected"
            out.extend(
                f"{path}[{i}]: {word} {_show(longer[i])}"
                for i in range(min(len(expected), len(actual)), len(longer))
            )
        return out
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: expected {_show(expected)}, got {_show(actual)}"]
    return []


def assert_json_equal(expected: Any, actual: Any, what: str) -> None:
    """Fail with every differing path listed (at most 40 lines)."""
    diffs = json_diff(expected, actual)
    if diffs:
        shown = diffs[:40] + ([f"... and {len(diffs) - 40} more"] if len(diffs) > 40 else [])
        raise AssertionError(f"{what}: {len(diffs)} difference(s)\n  " + "\n  ".join(shown))
