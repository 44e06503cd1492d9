"""``modelcard schema``: print the JSON Schema of the JSON output."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..schema import json_schema_text


def register(sub: Any) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of 'modelcard parse --json'",
        description="Print the JSON Schema (generated from the pydantic models) of the JSON contract.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(json_schema_text())
    return 0
