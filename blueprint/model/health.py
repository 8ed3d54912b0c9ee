"""Health checks: what is probed (an HTTP path, a gRPC health service, a TCP port or a command)
and how often, per probe (startup, readiness, liveness)."""

import functools
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from blueprint.model.base import Model, Port, empty_default
from blueprint.model.validators import HttpPath, visible

ProbeKind = Literal["http", "grpc", "tcp", "exec"]
# An HTTP header name (RFC 9110 token) and a value without control characters.
HeaderName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")]
HeaderValue = Annotated[str, StringConstraints(max_length=1024, pattern=r"^[^\x00-\x1f\x7f]*$")]
GrpcServiceName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_.]{0,253}$")
]  # a fully qualified gRPC service, as grpc.health.v1.Health/Check names it
CommandArgument = Annotated[
    str, StringConstraints(min_length=1, max_length=1024), AfterValidator(visible)
]

# Which keys each kind reads: a key of another kind is a mistake, not something to ignore.
_KIND_KEYS: dict[str, frozenset[str]] = {
    "http": frozenset({"path", "port", "headers"}),
    "grpc": frozenset({"port", "service"}),
    "tcp": frozenset({"port"}),
    "exec": frozenset({"command"}),
}
_KIND_SPECIFIC = frozenset().union(*_KIND_KEYS.values())
# The keys each kind does not read, in the order they are reported.
_FOREIGN_KEYS = {kind: tuple(sorted(_KIND_SPECIFIC - keys)) for kind, keys in _KIND_KEYS.items()}


class ProbeTiming(Model):
    """One probe's timing; an unset value takes the health check's default for that probe."""

    period_seconds: int | None = Field(default=None, ge=1, le=300)
    """Seconds between probes."""
    timeout_seconds: int | None = Field(default=None, ge=1, le=60)
    """Seconds before one probe fails."""
    failure_threshold: int | None = Field(default=None, ge=1, le=120)
    """Failed probes in a row before the probe counts as failed."""
    initial_delay_seconds: int | None = Field(default=None, ge=0, le=3600)
    """Seconds after the container starts before the first probe."""


# The timing of a probe the blueprint does not time: one instance, which every health check
# without that key holds (pydantic keeps a hashable default as it is), so that readers can tell
# it by identity. Made without validation: see `Model`'s configuration.
NO_TIMING = ProbeTiming.model_construct()


@dataclass(frozen=True)
class Timing:
    """A resolved probe timing: every value set."""

    period_seconds: int
    timeout_seconds: int
    failure_threshold: int
    initial_delay_seconds: int


# Sane defaults: a startup probe gives a slow start 5 minutes (60 x 5 s) before liveness takes
# over; readiness and liveness probe every interval_seconds, liveness restarting after 3 misses.
STARTUP_PERIOD_SECONDS = 5
STARTUP_FAILURE_THRESHOLD = 60
FAILURE_THRESHOLD = 3


class HealthCheck(Model):
    kind: ProbeKind = "http"
    """What is probed: `http` (a GET of `path`), `grpc` (the gRPC health checking protocol),
    `tcp` (the port accepts a connection) or `exec` (a command in the container exits 0)."""
    path: HttpPath = "/"
    """kind http: the HTTP path probed. Example: `/healthz`."""
    port: Port | None = None  # default: the service port
    """kind http, grpc or tcp: the port probed. Default: the service port."""
    headers: dict[HeaderName, HeaderValue] = Field(
        default_factory=dict, json_schema_extra=empty_default
    )
    """kind http: request headers sent with the probe. Example: `{Cookie: shop-session=probe}`."""
    service: GrpcServiceName | None = None
    """kind grpc: the service name sent to grpc.health.v1.Health/Check. Default: empty (the
    server's overall health)."""
    command: tuple[CommandArgument, ...] = ()
    """kind exec: the command and its arguments, run without a shell. Example: `[redis-cli,
    ping]`."""
    interval_seconds: int = Field(default=30, ge=5, le=300)
    """Seconds between readiness and liveness probes."""
    timeout_seconds: int = Field(default=5, ge=1, le=60)
    """Seconds before a probe fails."""
    startup: ProbeTiming = NO_TIMING
    """The startup probe's timing. Default: every 5 s, 60 failures allowed (5 minutes)."""
    readiness: ProbeTiming = NO_TIMING
    """The readiness probe's timing. Default: every interval_seconds, 3 failures."""
    liveness: ProbeTiming = NO_TIMING
    """The liveness probe's timing. Default: every interval_seconds, 3 failures."""

    @model_validator(mode="after")
    def _keys_of_its_kind(self) -> "HealthCheck":
        # A key counts as declared when it differs from its default (a dumped and reloaded
        # health check carries every key).
        if self.kind == "http" and self.command == () and self.service is None:
            return self  # the keys http does not read are at their defaults (most checks)
        defaults = _kind_key_defaults()
        for key in _FOREIGN_KEYS[self.kind]:
            if getattr(self, key) != defaults[key]:
                kinds = " or ".join(k for k, keys in _KIND_KEYS.items() if key in keys)
                raise ValueError(
                    f"found {key} on a health check of kind {self.kind}, expected it only with "
                    f"kind {kinds}"
                )
        if self.kind == "exec" and not self.command:
            raise ValueError(
                "found a health check of kind exec without command, expected command: "
                "[program, arguments...]"
            )
        return self

    @property
    def probes_a_port(self) -> bool:
        return self.kind != "exec"

    def timing(self, probe: Literal["startup", "readiness", "liveness"]) -> Timing:
        declared: ProbeTiming = getattr(self, probe)
        startup = probe == "startup"
        period = declared.period_seconds or (
            STARTUP_PERIOD_SECONDS if startup else self.interval_seconds
        )
        threshold = declared.failure_threshold or (
            STARTUP_FAILURE_THRESHOLD if startup else FAILURE_THRESHOLD
        )
        return Timing(
            period_seconds=period,
            # A probe that outlasts its period overlaps the next one.
            timeout_seconds=declared.timeout_seconds or min(self.timeout_seconds, period),
            failure_threshold=threshold,
            initial_delay_seconds=declared.initial_delay_seconds or 0,
        )


@functools.cache
def _kind_key_defaults() -> dict[str, object]:
    """The default of each kind-specific key, read once: `FieldInfo.get_default` copies it on
    every call (5,000 health checks ask five times each)."""
    fields = HealthCheck.model_fields
    return {key: fields[key].get_default(call_default_factory=True) for key in _KIND_SPECIFIC}
