"""What a service serves and keeps: its named ports, its writable paths and persistent storage,
and resource limits apart from requests."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from blueprint.model.base import Model, Port
from blueprint.model.validators import Cpu, visible


# An IANA_SVC_NAME as Kubernetes checks a port name: at most 15 characters, a letter in it.
def _has_a_letter(value: str) -> str:
    if not any(c.isalpha() for c in value):
        raise ValueError(f"found port name {value!r}, expected at least one letter in it")
    return value


PortName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_length=15),
    AfterValidator(_has_a_letter),
]
# The application protocol of a port (a Service's appProtocol): load balancers and meshes pick
# HTTP/2 for grpc and h2c.
AppProtocol = Literal["http", "https", "grpc", "h2c", "tcp"]
TransportProtocol = Literal["tcp", "udp"]
# A size as a Kubernetes quantity in binary units. Example: 512Mi, 10Gi.
Size = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,5}(Mi|Gi|Ti)$")]
StorageClassName = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", max_length=253)
]


def absolute_path(value: str) -> str:
    """A mount path: absolute, no `.` or `..` segment, not the root itself."""
    segments = value.split("/")[1:]
    if value == "/" or any(s in {"", ".", ".."} for s in segments):
        raise ValueError(
            f"found {value!r}, expected an absolute path below / without empty, '.' or '..' "
            "segments such as /data"
        )
    return value


MountPath = Annotated[
    str,
    StringConstraints(pattern=r"^/\S*$", max_length=1024),
    AfterValidator(visible),
    AfterValidator(absolute_path),
]

# Names the generators give the primary port and the metrics port.
PRIMARY_PORT_NAMES = frozenset({"http", "https", "grpc", "h2c", "tcp", "metrics"})


class NamedPort(Model):
    """One more port a service serves, besides `port`."""

    name: PortName
    """The port's name (at most 15 characters); calls name it in `calls[].port`. Example:
    `admin`."""
    port: Port
    """The port the container listens on."""
    service_port: Port | None = None
    """Kubernetes: the port the Service exposes it on. Default: `port`."""
    protocol: TransportProtocol = "tcp"
    """The transport: `tcp` or `udp`."""
    app_protocol: AppProtocol | None = None
    """The application protocol (the Service's appProtocol): `http`, `https`, `grpc`, `h2c`
    or `tcp`."""

    @model_validator(mode="after")
    def _not_a_generated_name(self) -> "NamedPort":
        if self.name in PRIMARY_PORT_NAMES:
            raise ValueError(
                f"found port name {self.name!r}, expected a name other than "
                f"{', '.join(sorted(PRIMARY_PORT_NAMES))} (those name the service port and "
                "the metrics port)"
            )
        return self


class WritablePath(Model):
    """A writable directory under the read-only root filesystem, empty at every start."""

    path: MountPath
    """Where it is mounted. Example: `/var/cache/app`."""
    size: Size = "1Gi"
    """The most it may hold (a Kubernetes quantity: Mi, Gi or Ti). Example: `512Mi`."""


class Storage(Model):
    """Persistent storage: a volume per replica that outlives restarts and rescheduling."""

    path: MountPath
    """Where it is mounted. Example: `/data`."""
    size: Size = "10Gi"
    """Its capacity (a Kubernetes quantity: Mi, Gi or Ti). Example: `20Gi`."""
    storage_class: StorageClassName | None = Field(default=None, alias="class")
    """The storage class (written `class:`). Default: the cluster's default class."""


class Limits(Model):
    """Resource limits apart from the requests (`cpu`, `memory`)."""

    cpu: Cpu | None = None
    """The CPU limit in vCPU. Default: none (the container may use idle CPU; it is never
    throttled below its request)."""
    memory: Annotated[int, Field(ge=64, le=131072)] | None = None
    """The memory limit in MiB. Default: the memory request."""
