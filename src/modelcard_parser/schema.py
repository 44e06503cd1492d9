"""The JSON Schema of ``parse(...).model_dump(mode="json")``, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from .models import ModelCard

__all__ = ["json_schema", "json_schema_text"]


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON contract."""
    schema = ModelCard.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://github.com/modelcard-parser/modelcard-parser/schema/modelcard.schema.json"
    return schema


def json_schema_text() -> str:
    """The schema as committed in ``schema/modelcard.schema.json``."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
