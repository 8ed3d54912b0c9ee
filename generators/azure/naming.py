"""Azure resource names and Bicep symbolic names derived from blueprint names.

Resource-group-scoped names are rendered as plain literals. Globally unique names (storage,
Key Vault, registry, Cosmos DB, Cognitive Services, Function App) are a readable prefix
concatenated with the template's `nameSuffix` parameter (uniqueString of the resource group by
default, 13 characters), so two deployments of one blueprint never collide.
"""

from __future__ import annotations

import re

_SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SUFFIX_LENGTH = 13  # uniqueString() always returns 13 characters


def symbol(*parts: str) -> str:
    """A Bicep identifier: blueprint names are DNS labels, so '-' is the only character to map."""
    name = "_".join(p.replace("-", "_") for p in parts if p)
    if not _SYMBOL.match(name):
        raise ValueError(f"cannot derive a Bicep identifier from {parts!r}")
    return name


def alnum(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def global_prefix(kind_prefix: str, name: str, limit: int, *, hyphens: bool) -> str:
    """The part of a globally unique name before `nameSuffix`, within the type's length limit."""
    room = limit - SUFFIX_LENGTH - len(kind_prefix) - (2 if hyphens else 0)
    body = name if hyphens else alnum(name)
    body = body[:room].strip("-")
    return f"{kind_prefix}-{body}-" if hyphens else f"{kind_prefix}{body}"


def local_name(prefix: str, name: str, limit: int) -> str:
    return f"{prefix}-{name}"[:limit].rstrip("-")


def secret_name(env_name: str) -> str:
    """A Container Apps secret name (lowercase alphanumerics and '-') for an env variable."""
    return re.sub(r"[^a-z0-9]+", "-", env_name.lower()).strip("-") or "secret"
