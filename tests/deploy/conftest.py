"""The session's local AWS: one moto_server for every deployment test, stopped at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.deploy.moto_server import (
    MotoEndpoint,
    MotoUnavailableError,
    isolated_environment,
    launch,
    stop,
    wait_ready,
    warm_up,
)
from tests.deploy.stack import moto_cloudformation_types


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[MotoEndpoint]:
    """moto_server on 127.0.0.1 and an ephemeral port; the AWS_* environment of the session is
    replaced by fake credentials and empty config files while it runs (and restored after)."""
    with pytest.MonkeyPatch.context() as env:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            env.delenv(key)
        for key, value in isolated_environment({}).items():
            env.setenv(key, value)
        try:
            server = launch()
        except MotoUnavailableError as e:
            pytest.skip(f"moto_server could not start: {e}")
        try:
            try:
                moto_cloudformation_types()  # imported here while the server boots
                wait_ready(server)
            except MotoUnavailableError as e:
                pytest.skip(f"moto_server could not start: {e}")
            warming = warm_up(server.endpoint)
            yield server.endpoint
            warming.join(timeout=30)
        finally:
            stop(server)
