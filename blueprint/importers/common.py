"""What the importers share: the blueprint under construction, the report of what was not
carried over, names made DNS labels, images, environment values split from secrets, units."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blueprint.model.base import NAME_RE

SECRET_STORE = "secrets"
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
REPOSITORY = re.compile(r"^[a-z0-9]+([._/-][a-z0-9]+)*$")
REGISTRY = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?$")
DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")
HOST = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass
class Draft:
    """A blueprint being built as plain data, and one report line per item not carried over
    (or carried over differently: a secret turned into a reference, a renamed service)."""

    name: str
    namespace: str | None = None
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    ingress: dict[str, dict[str, Any]] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.taken.add(SECRET_STORE)  # reserved, so a workload named secrets is renamed

    def note(self, where: str, what: str) -> None:
        self.report.append(f"{where}: {what}")

    def claim(self, wanted: str, where: str) -> str:
        """A unique DNS-label name for `wanted` (services, jobs, resources and ingress share
        one namespace); a change of name is reported."""
        base = dns_label(wanted)
        name, n = base, 2
        while name in self.taken:
            suffix = f"-{n}"
            name, n = base[: 63 - len(suffix)] + suffix, n + 1
        self.taken.add(name)
        if name != wanted:
            self.note(where, f"named {name} (names are unique DNS labels; was {wanted!r})")
        return name

    def secret_store(self) -> str:
        if SECRET_STORE not in self.resources:
            self.resources[SECRET_STORE] = {
                "kind": "secret-store",
                "description": "holds the values of the secrets found while importing",
            }
        return SECRET_STORE

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "platforms": {"kubernetes": {"namespace": self.namespace or self.name}},
        }
        for key, section in (
            ("ingress", self.ingress),
            ("services", self.services),
            ("jobs", self.jobs),
            ("resources", self.resources),
        ):
            if section:
                out[key] = section
        return out


def dns_label(text: str) -> str:
    label = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    label = re.sub(r"^[^a-z]+", "", label)[:63].rstrip("-")
    return label if NAME_RE.match(label) else "unnamed"


def image(reference: str, draft: Draft, where: str) -> dict[str, str] | None:
    """`[registry/]repository[:tag][@digest]` as an Image, or None (reported) when the
    reference cannot be expressed (interpolation, an unusual registry)."""
    rest, _, digest = reference.partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = "docker.io", rest
    path, colon, tag = path.rpartition(":") if ":" in path else (path, "", "")
    if registry == "docker.io" and "/" not in path:
        path = f"library/{path}"
    problems = []
    if not REGISTRY.match(registry):
        problems.append(f"registry {registry!r} is not a host name such as ghcr.io")
    if not REPOSITORY.match(path):
        problems.append(f"repository {path!r} is not a lowercase repository path")
    if colon and not TAG.match(tag):
        problems.append(f"tag {tag!r} is not a plain tag")
    if digest and not DIGEST.match(digest):
        problems.append(f"digest {digest!r} is not sha256:<64 hex digits>")
    if problems:
        draft.note(where, f"image {reference!r} not carried over: {'; '.join(problems)}")
        return None
    out = {"registry": registry, "repository": path}
    if tag:
        out["tag"] = tag
    if digest:
        out["digest"] = digest
    if not tag and not digest:
        out["tag"] = "latest"
        draft.note(
            where, f"image {reference!r} has no tag: imported as latest; pin a tag or digest"
        )
    return out


def environment(
    values: dict[str, str], draft: Draft, workload: str, where: str
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Plain values, and secret-looking ones as references into the secret store (reported:
    the value must be stored there; it is never written to the blueprint)."""
    from policies.rules.bp4001_plaintext_secret import PLAIN, name_reason, value_reason

    env: dict[str, str] = {}
    secrets: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        if not ENV_NAME.match(key) or len(key) > 128:
            draft.note(f"{where}.{key}", "not carried over: not an environment variable name")
            continue
        reason = value_reason(value) or (None if PLAIN.match(value.strip()) else name_reason(key))
        if reason is None:
            if len(value) > 4096:
                draft.note(f"{where}.{key}", "not carried over: value longer than 4096 characters")
                continue
            env[key] = value
            continue
        secret_key = secret_name(f"{workload}-{key}")
        secrets[key] = {"store": draft.secret_store(), "key": secret_key}
        draft.note(
            f"{where}.{key}",
            f"looks like a secret ({reason}); the value was not carried over: store it as "
            f"{secret_key} in secret store {SECRET_STORE}, the blueprint references it",
        )
    return env, secrets


def secret_name(text: str) -> str:
    key = re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-").lower()[:127]
    return key or "secret"


def cpu(value: object) -> float | None:
    """Kubernetes or compose CPU (`500m`, `0.5`, `2`) in vCPU."""
    text = str(value).strip()
    try:
        cores = float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    except ValueError:
        return None
    return cores if 0 < cores <= 64 else None


MEMORY_UNITS = {
    "": 1 / 2**20, "b": 1 / 2**20, "k": 1000 / 2**20, "kb": 1000 / 2**20, "ki": 1 / 1024,
    "m": 1000**2 / 2**20, "mb": 1000**2 / 2**20, "mi": 1.0, "g": 1000**3 / 2**20,
    "gb": 1000**3 / 2**20, "gi": 1024.0,
}  # fmt: skip


def memory(value: object) -> int | None:
    """Kubernetes (`256Mi`, `1G`) or compose (`512m`, `1g`, `512M`) memory in MiB."""
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$", str(value))
    if not match or match.group(2).lower() not in MEMORY_UNITS:
        return None
    mib = round(float(match.group(1)) * MEMORY_UNITS[match.group(2).lower()])
    return mib if 64 <= mib <= 131072 else None


def duration(value: object) -> int | None:
    """Compose durations (`30s`, `1m30s`, `500ms`) in whole seconds."""
    text = str(value).strip()
    total = 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", text)
    if not parts or "".join(a + b for a, b in parts) != text:
        return None
    for amount, unit in parts:
        total += float(amount) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}[unit]
    return round(total)


def carry(
    draft: Draft,
    out: dict[str, Any],
    key: str,
    raw: object,
    convert: Callable[[object], float | None],
    where: str,
) -> None:
    """out[key] = convert(raw), or a report line when the value has no blueprint equivalent."""
    value = convert(raw)
    if value is None:
        draft.note(where, f"{raw!r} out of range; not carried over")
    else:
        out[key] = value


# The blueprint's bounds on health check timings (HealthCheck in blueprint/model/workloads.py).
HEALTH_TIMINGS = {"interval_seconds": (5, 300), "timeout_seconds": (1, 60)}


def carry_timings(
    draft: Draft, health: dict[str, Any], raw: dict[str, Any], names: dict[str, str], where: str
) -> None:
    """Health check timings from `raw`, whose keys `names` maps to the blueprint's."""
    for key, field_name in names.items():
        if key in raw:
            low, high = HEALTH_TIMINGS[field_name]
            carry(draft, health, field_name, raw[key], seconds_between(low, high), f"{where}.{key}")


def seconds_between(low: int, high: int) -> Callable[[object], int | None]:
    """A converter of durations (`30s`, or whole seconds) bounded to [low, high]."""
    return lambda raw: in_range(raw if isinstance(raw, int) else duration(raw), low, high)


def replicas(raw: object) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 1000 else None


def in_range(value: int | None, low: int, high: int) -> int | None:
    return value if value is not None and low <= value <= high else None
