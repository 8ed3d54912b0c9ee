"""docker-compose -> blueprint: services, images, ports, environment (secrets become
references), depends_on -> calls, named volumes -> storage, HTTP healthchecks -> health,
deploy replicas and limits. Everything else is one report line."""

from __future__ import annotations

import re
from typing import Any

from blueprint.importers import common
from blueprint.importers.common import Draft

HANDLED = {
    "image", "ports", "expose", "environment", "depends_on", "volumes", "healthcheck",
    "deploy", "secrets",
}  # fmt: skip
WHY = {
    "build": "blueprint deploys images: build and push it, then set image",
    "networks": "blueprint allows only declared calls between services, not whole networks",
    "env_file": "the file's values are not read; add them under env or secrets",
    "command": "the image's own command runs",
    "entrypoint": "the image's own entrypoint runs",
    "restart": "the platform restarts failed containers",
    "container_name": "names come from the service",
    "labels": "labels are not part of a blueprint",
}
LIMITS = "deploy.resources.limits"
HTTP_CHECK = re.compile(r"https?://(localhost|127\.0\.0\.1|0\.0\.0\.0)(:(\d+))?(/\S*)?")


def import_compose(document: object, name: str, *, named: bool = False) -> Draft:
    """`name` is the system's name; unless `named` (given by the user) the file's own
    top-level `name:` wins over it."""
    draft = Draft(name=common.dns_label(name))
    if not isinstance(document, dict) or not isinstance(document.get("services"), dict):
        raise ValueError("found no services: mapping, expected a docker-compose file")
    if isinstance(document.get("name"), str) and not named:
        draft.name = common.dns_label(document["name"])
    for key in document:
        if key not in {"name", "services", "volumes", "secrets"}:
            draft.note(key, "top-level key not carried over")
    services: dict[str, Any] = document["services"]
    names = {s: draft.claim(str(s), f"services.{s}") for s in services}
    used_volumes: dict[str, str] = {}  # compose volume -> the resource it became
    for source, spec in services.items():
        where = f"services.{source}"
        if not isinstance(spec, dict):
            draft.note(where, "not a mapping; not carried over")
            continue
        draft.services[names[source]] = _service(
            draft, spec, names, names[source], where, used_volumes
        )
    declared = document.get("volumes") or {}
    for volume in declared if isinstance(declared, dict) else ():
        if volume not in used_volumes:
            draft.note(f"volumes.{volume}", "mounted by no service; not carried over")
    return draft


def _service(
    draft: Draft,
    spec: dict[str, Any],
    names: dict[str, str],
    name: str,
    where: str,
    volumes: dict[str, str],
) -> dict[str, Any]:
    out: dict[str, Any] = {"platform": "kubernetes"}
    for key in spec:
        if key not in HANDLED:
            draft.note(
                f"{where}.{key}", f"not carried over: {WHY.get(key, 'no blueprint equivalent')}"
            )
    if isinstance(spec.get("image"), str):
        img = common.image(spec["image"], draft, f"{where}.image")
        if img:
            out["image"] = img
    elif "build" in spec:
        draft.note(
            f"{where}.image", "none: the service is built from source; set image after pushing it"
        )
    if "image" not in out:
        # A workload without an image renders nowhere (docs/support.md): a reserved host that
        # cannot be pulled from stands in until the real image is set.
        out["image"] = {"registry": "registry.example.com", "repository": name, "tag": "unset"}
        draft.note(
            f"{where}.image", f"registry.example.com/{name}:unset stands in: set the real image"
        )
    port = _ports(draft, spec, where)
    if port is not None:
        out["port"] = port
    env, secrets = common.environment(
        _env(draft, spec.get("environment"), where), draft, name, f"{where}.environment"
    )
    secrets.update(_file_secrets(draft, spec.get("secrets"), where))
    if env:
        out["env"] = env
    if secrets:
        out["secrets"] = secrets
    calls = _depends_on(draft, spec.get("depends_on"), names, where)
    if calls:
        out["calls"] = calls
    uses = _volumes(draft, spec.get("volumes"), where, volumes)
    if secrets:
        uses.insert(0, {"resource": common.SECRET_STORE, "access": "read"})
    if uses:
        out["uses"] = uses
    health = _health(draft, spec.get("healthcheck"), port, where)
    if health:
        out["health"] = health
    out.update(_deploy(draft, spec.get("deploy"), where))
    return out


def _ports(draft: Draft, spec: dict[str, Any], where: str) -> int | None:
    """The container port of the first `ports` (or `expose`) entry; the others are reported."""
    found: list[tuple[int, str | None]] = []
    for key in ("ports", "expose"):
        for entry in spec.get(key) or ():
            parsed = _port(entry)
            if parsed is None:
                draft.note(f"{where}.{key}", f"{entry!r} not carried over: not a single port")
            else:
                found.append(parsed)
    if not found:
        draft.note(where, "declares no port: the blueprint's default 8080 applies")
        return None
    port, published = found[0]
    if published:
        draft.note(
            f"{where}.ports",
            f"published on host port {published}: not carried over; declare an ingress to "
            "expose the service",
        )
    for other, _ in found[1:]:
        if other != port:
            draft.note(f"{where}.ports", f"port {other} not carried over: a service has one port")
    return port


def _port(entry: object) -> tuple[int, str | None] | None:
    if isinstance(entry, dict):
        target, published = entry.get("target"), entry.get("published")
        text = str(target)
        published_text = str(published) if published is not None else None
    else:
        raw = str(entry).split("/")[0]
        parts = raw.rsplit(":", 2) if raw.count(":") else [raw]
        text = parts[-1]
        published_text = parts[-2] if len(parts) >= 2 else None
    if not text.isdigit() or not 0 < int(text) < 65536:
        return None
    return int(text), published_text


def _env(draft: Draft, raw: object, where: str) -> dict[str, str]:
    values: dict[str, str] = {}
    items: list[tuple[str, object]]
    if isinstance(raw, dict):
        items = [(str(k), v) for k, v in raw.items()]
    elif isinstance(raw, list):
        pairs = (str(e).partition("=") for e in raw)
        items = [(key, value if sep else None) for key, sep, value in pairs]
    else:
        items = []
    for key, value in items:
        if value is None:
            draft.note(
                f"{where}.environment.{key}", "not carried over: taken from the host environment"
            )
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if "${" in text:
            draft.note(
                f"{where}.environment.{key}",
                f"{text!r} interpolates a host variable: kept literally; set the value",
            )
        values[key] = text
    return values


def _file_secrets(draft: Draft, raw: object, where: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for entry in _listed(raw):
        source = entry.get("source") if isinstance(entry, dict) else entry
        if not isinstance(source, str):
            continue
        variable = re.sub(r"[^A-Za-z0-9_]", "_", source).upper()
        if not re.match(r"^[A-Z_]", variable):
            variable = f"_{variable}"
        key = common.secret_name(source)
        out[variable] = {"store": draft.secret_store(), "key": key}
        draft.note(
            f"{where}.secrets.{source}",
            f"a file in compose; now the environment variable {variable}, referencing {key} in "
            f"secret store {common.SECRET_STORE}",
        )
    return out


def _depends_on(
    draft: Draft, raw: object, names: dict[str, str], where: str
) -> list[dict[str, str]]:
    deps = list(raw) if isinstance(raw, (list, dict)) else []
    calls = []
    for dep in deps:
        if dep in names:
            calls.append({"service": names[dep]})
        else:
            draft.note(
                f"{where}.depends_on", f"{dep!r} is not a service of the file; not carried over"
            )
    if isinstance(raw, dict) and any(
        isinstance(v, dict) and v.get("condition") for v in raw.values()
    ):
        draft.note(
            f"{where}.depends_on",
            "start-up conditions not carried over: calls say who calls whom, not start order",
        )
    return calls


def _volumes(draft: Draft, raw: object, where: str, used: dict[str, str]) -> list[dict[str, str]]:
    uses: list[dict[str, str]] = []
    for entry in _listed(raw):
        if isinstance(entry, dict):
            kind, source, target = (
                entry.get("type", "volume"),
                entry.get("source"),
                entry.get("target"),
            )
            read_only = bool(entry.get("read_only"))
        else:
            parts = str(entry).split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else (None, parts[0])
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
            kind = "bind" if source and (source.startswith((".", "/", "~", "$"))) else "volume"
        if kind != "volume" or not source:
            draft.note(
                f"{where}.volumes", f"{entry!r} not carried over: only named volumes become storage"
            )
            continue
        source = str(source)
        if source not in used:
            resource = draft.claim(source, f"volumes.{source}")
            draft.resources[resource] = {
                "kind": "bucket",
                "description": f"the compose volume {source}",
            }
            draft.note(
                f"volumes.{source}",
                f"now bucket {resource}: object storage, not a file system mounted at {target}; "
                "the service must use it through its API",
            )
            used[source] = resource
        uses.append({"resource": used[source], "access": "read" if read_only else "write"})
    return uses


def _health(draft: Draft, raw: object, port: int | None, where: str) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    test = raw.get("test")
    command = " ".join(test[1:]) if isinstance(test, list) else str(test or "")
    match = HTTP_CHECK.search(command)
    if raw.get("disable") or match is None:
        draft.note(f"{where}.healthcheck", f"{command!r} is not an HTTP check; not carried over")
        return None
    health: dict[str, Any] = {"path": match.group(4) or "/"}
    probe_port = int(match.group(3)) if match.group(3) else 80
    if probe_port != (port or 8080):
        health["port"] = probe_port
    common.carry_timings(
        draft, health, raw, {"interval": "interval_seconds", "timeout": "timeout_seconds"},
        f"{where}.healthcheck",
    )  # fmt: skip
    for key in ("retries", "start_period", "start_interval"):
        if key in raw:
            draft.note(f"{where}.healthcheck.{key}", "not carried over")
    return health


def _deploy(draft: Draft, raw: object, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    out: dict[str, Any] = {}
    if "replicas" in raw:
        common.carry(draft, out, "replicas", raw["replicas"], common.replicas, f"{where}.deploy")
    limits = (raw.get("resources") or {}).get("limits") or {}
    if "cpus" in limits:
        common.carry(draft, out, "cpu", limits["cpus"], common.cpu, f"{where}.{LIMITS}.cpus")
    if "memory" in limits:
        common.carry(
            draft, out, "memory", limits["memory"], common.memory, f"{where}.{LIMITS}.memory"
        )
    for key in raw:
        if key not in {"replicas", "resources"}:
            draft.note(f"{where}.deploy.{key}", "not carried over")
    return out


def _listed(raw: object) -> list[Any]:
    return list(raw) if isinstance(raw, list) else []
