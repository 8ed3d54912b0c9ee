"""The default instances the model and the configuration hold (`platforms: Platforms =
Platforms.model_construct()`, `NO_TIMING`, the empty configuration) are made without
validation, so that importing the model builds no validator: each must be exactly the instance
validation of an empty mapping gives."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from blueprint.config import EMPTY, Settings
from blueprint.model import Blueprint, HealthCheck, Service
from blueprint.model.health import NO_TIMING, ProbeTiming
from blueprint.model.workloads import Expose

MINIMAL = {"name": "shop", "services": {"web": {"platform": "kubernetes"}}}


def _defaults() -> list[tuple[BaseModel, type[BaseModel]]]:
    blueprint_fields = Blueprint.model_fields
    # FieldInfo.annotation is typed `type[Any] | None`; these four fields are model classes.
    return [
        (blueprint_fields[name].default, blueprint_fields[name].annotation)  # type: ignore[misc]
        for name in ("platforms", "identity", "policy", "overrides")
    ] + [
        (Service.model_fields["expose"].default, Expose),
        (HealthCheck.model_fields["startup"].default, ProbeTiming),
        (NO_TIMING, ProbeTiming),
        (EMPTY.settings, Settings),
    ]


@pytest.mark.parametrize(("default", "model"), _defaults(), ids=lambda v: type(v).__name__)
def test_each_default_is_what_validating_nothing_gives(
    default: BaseModel, model: type[BaseModel]
) -> None:
    validated = model.model_validate({})
    assert type(default) is model
    assert default == validated
    assert default.model_fields_set == validated.model_fields_set == set()
    assert default.model_dump() == validated.model_dump()
    assert default.model_dump_json() == validated.model_dump_json()
    assert vars(default) == vars(validated)
    assert default.__pydantic_extra__ == validated.__pydantic_extra__
    assert default.__pydantic_private__ == validated.__pydantic_private__


def test_a_loaded_blueprint_holds_the_shared_defaults() -> None:
    bp = Blueprint.model_validate(MINIMAL)
    assert bp.platforms == Blueprint.model_fields["platforms"].default
    assert bp.services["web"].expose is Service.model_fields["expose"].default
    assert bp.model_dump() == Blueprint.model_validate(bp.model_dump()).model_dump()
