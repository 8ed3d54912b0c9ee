"""Shared building blocks of the model: the frozen base class and the name and unit types."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NAME_PATTERN = r"^[a-z]([-a-z0-9]*[a-z0-9])?$"
NAME_RE = re.compile(NAME_PATTERN)

# A DNS-1123 label: valid as a Kubernetes object name, a Cloud Run service, an Azure container
# app (within its length limit, checked per platform) and in every AWS resource name we derive.
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=63)]
EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[float, Field(ge=0, le=86400)]
FreeText = Annotated[str, StringConstraints(max_length=4096)]


class Model(BaseModel):
    """Every model is immutable and rejects unknown keys."""

    # The docstring under each field is its description in `blueprint schema`: editors show it
    # on hover, and tests/cli/test_schema_descriptions.py fails on a field without one.
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=False,
        populate_by_name=True,
        defer_build=True,
        use_attribute_docstrings=True,
    )
