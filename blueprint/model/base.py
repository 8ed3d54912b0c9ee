"""Shared building blocks of the model: the frozen base class and the name and unit types."""

# The model's modules do without `from __future__ import annotations`: pydantic would evaluate
# each of their ~270 field annotations from its text when it creates the classes, at every
# import (about 10 ms of each command). A validator returning its own class quotes the name.
import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    StringConstraints,
)
from pydantic_core import CoreSchema

NAME_PATTERN = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
NAME_RE = re.compile(NAME_PATTERN)

# A DNS-1123 label: valid as a Kubernetes object name, a Cloud Run service, an Azure container
# app (within its length limit, checked per platform) and in every AWS resource name we derive.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=63)]
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[float, Field(ge=0, le=86400)]


def nfc(value: str) -> str:
    """Text in Unicode normalization form C. HCL normalizes every string literal so, hence
    Terraform would send another text than the YAML and JSON targets for a value that is not:
    the model holds the one text every target sends."""
    if value.isascii() or unicodedata.is_normalized("NFC", value):  # ASCII is always NFC
        return value
    return unicodedata.normalize("NFC", value)


def empty_default(schema: dict[str, Any]) -> None:
    """The JSON schema's `default: {}` of a mapping field made by `default_factory=dict`: a
    literal `= {}` default is deep-copied by pydantic for every instance that omits the field
    (11,000 copies at 5,000 services), the factory makes a new one for a fraction of that."""
    schema["default"] = {}


FreeText = Annotated[str, StringConstraints(max_length=4096), AfterValidator(nfc)]


# Core schema types that YAML spells natively: a quoted "8080" or "yes" is a mistake to report,
# not a value to coerce. Lists, enums and dates stay lax (YAML has no tuple, enum or date type).
_STRICT_TYPES = frozenset({"int", "float", "bool"})


def _strict_scalars(schema: Any, model: type[BaseModel]) -> None:
    """Marks `model`'s schema's scalars strict. A nested model's schema is left as it is: its
    own `__get_pydantic_core_schema__` has done it already (walking it again at each level
    was an eighth of building the blueprint's schema)."""
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "model" and _other_model(schema.get("cls"), model):
            return
        if isinstance(kind, str) and kind in _STRICT_TYPES:
            schema["strict"] = True
        for value in schema.values():
            _strict_scalars(value, model)
    elif isinstance(schema, list):
        for value in schema:
            _strict_scalars(value, model)


def _other_model(cls: Any, model: type[BaseModel]) -> bool:
    return cls is not model and isinstance(cls, type) and issubclass(cls, Model)


class Model(BaseModel):
    """Every model is immutable, rejects unknown keys and takes numbers and booleans only as
    YAML numbers and booleans."""

    # The docstring under each field is its description in `blueprint schema`: editors show it
    # on hover, and tests/cli/test_schema_descriptions.py fails on a field without one. The
    # schema reads them itself (field_docs.py): `use_attribute_docstrings` would parse every
    # class's source at import, for every command.
    # defer_build: a class's validator is built at its first validation, with the nested
    # models' schemas. So a default that is a model instance is made by `model_construct()`,
    # not by calling the class, which would build that class's validator at import as well
    # (tests/blueprint/test_default_instances.py: each equals what validation gives).
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=False,
        populate_by_name=True,
        defer_build=True,
    )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        _strict_scalars(schema, source)
        return schema
