"""The docstring under each field, as its description in the JSON schema (`blueprint schema`).

Pydantic can read them itself (`use_attribute_docstrings`), but it does so while each class is
created, parsing the class's source: a third of the model's import, paid by every command
for the one that prints the schema. The schema generator below reads them only when a schema
is generated, and puts each where pydantic would have (tests/cli/test_schema_descriptions.py
compares the two).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic._internal._docs_extraction import extract_docstrings_from_cls
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


@cache
def _declared_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """The docstrings under the fields declared in `cls`'s own body."""
    return extract_docstrings_from_cls(cls, use_inspect=True)


def field_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """Each field's docstring, from the class that declares the field (a subclass that declares
    a field again without a docstring leaves it without one, as pydantic does)."""
    docs = {}
    for name in cls.model_fields:
        owner = next(c for c in cls.__mro__ if name in vars(c).get("__annotations__", {}))
        doc = _declared_docstrings(owner).get(name)
        if doc is not None:
            docs[name] = doc
    return docs


class DocumentedFields(GenerateJsonSchema):
    """The JSON schema with each field's docstring as its description, unless the field sets
    one itself (`Field(description=...)`)."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        fields_schema: Any = schema["schema"]
        docs = field_docstrings(schema["cls"])
        if docs and fields_schema.get("type") == "model-fields":
            fields = {
                name: _described(field, docs.get(name))
                for name, field in fields_schema["fields"].items()
            }
            schema = {**schema, "schema": {**fields_schema, "fields": fields}}
        return super().model_schema(schema)


def _described(field: Any, doc: str | None) -> Any:
    """The field's core schema with `doc` among its JSON schema updates, where pydantic puts
    a FieldInfo's description."""
    if doc is None:
        return field
    metadata = dict(field.get("metadata") or {})
    updates = dict(metadata.get("pydantic_js_updates") or {})
    updates.setdefault("description", doc)
    metadata["pydantic_js_updates"] = updates
    return {**field, "metadata": metadata}
