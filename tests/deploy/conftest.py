"""The session's local AWS: one moto_server for every deployment test, stopped at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.deploy.moto_server import (
    MotoEndpoint,
    MotoUnavailableError,
    isolated_environment,
    start,
    stop,
)


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
            server = start()
        except MotoUnavailableError as e:
            pytest.skip(f"moto_server could not start: {e}")
        try:
            yield server.endpoint
        finally:
            stop(server)
