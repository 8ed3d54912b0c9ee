"""BP4001: environment values that look like secrets."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule

# Parts of an environment variable name that say it holds a secret (a trailing S is ignored:
# REDIS_SECRETS, DB_CREDENTIALS).
SECRET_WORDS = (
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "APIKEY",
    "CREDENTIAL",
    "PRIVATE",
    "AUTH",
    "DSN",
    "CONNECTIONSTRING",
)
# Parts that hold passwords in particular: a well-known weak value under them is named as such.
PASSWORD_WORDS = ("PASSWORD", "PASSWD", "PASS", "PWD", "SECRET")
# A last part that makes such a name harmless: TOKEN_TTL, KEY_ID, SECRET_NAME (a reference),
# AUTH_TOKEN_HEADER (which header carries it), SECRET_STORE (which store holds it).
HARMLESS_WORDS = frozenset(
    {
        "ADDR",
        "ADDRESS",
        "ALG",
        "ALGORITHM",
        "ARN",
        "AUDIENCE",
        "ENABLED",
        "ENDPOINT",
        "FILE",
        "HEADER",
        "HOST",
        "ID",
        "ISSUER",
        "LENGTH",
        "MODE",
        "NAME",
        "PATH",
        "PORT",
        "PROVIDER",
        "REGION",
        "STORE",
        "TTL",
        "TYPE",
        "URL",
        "USER",
        "USERNAME",
    }
)
KNOWN_SECRET = re.compile(
    r"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|://[^/\s:@]+:[^/\s@]+@"
    r"|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\."  # a JWT (dotted, but no host name)
)
# Passwords every credential-stuffing list starts with; short, so no entropy test sees them.
WEAK_PASSWORDS = frozenset(
    {
        "123456",
        "12345678",
        "123456789",
        "admin",
        "admin123",
        "changeit",
        "changeme",
        "default",
        "guest",
        "hunter2",
        "letmein",
        "p@ssw0rd",
        "pass",
        "passw0rd",
        "password",
        "password1",
        "postgres",
        "prom-operator",
        "qwerty",
        "root",
        "secret",
        "test",
        "toor",
        "welcome",
    }
)
WEAK_PATTERN = re.compile(
    r"^(spring|summer|autumn|fall|winter|welcome|password|changeme|admin|qwerty)"
    r"[@!#]?\d{0,4}[!@#]?$",
    re.IGNORECASE,
)
# Values that name where something is, not what unlocks it: a DNS name or in-cluster service
# name with an optional port (productcatalogservice:3550,
# otel-collector.observability.svc.cluster.local:4317, an RDS endpoint), an IPv4 address with an
# optional port, or a URL without credentials.
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"({_LABEL}(\.{_LABEL})*|\d{{1,3}}(\.\d{{1,3}}){{3}})"
ADDRESS = re.compile(
    rf"^({_HOST}:\d{{1,5}}(,{_HOST}:\d{{1,5}})*"  # host:port, and bootstrap lists of them
    rf"|{_LABEL}(\.{_LABEL})*\.[A-Za-z]{{2,63}}"  # a DNS name with a domain
    rf"|[a-z][a-z0-9+.-]*://{_HOST}(:\d{{1,5}})?(/\S*)?)$"  # a URL without user:password@
)
MIN_ENTROPY_LENGTH = 20
ENTROPY_BITS = 4.0
PLAIN = re.compile(r"^(-?\d+(\.\d+)?|true|false|yes|no|on|off|)$", re.IGNORECASE)


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[_\-.]", name.upper()) if p]


def _matches(part: str, words: tuple[str, ...]) -> str | None:
    singular = part[:-1] if part.endswith("S") and len(part) > 3 else part
    for word in words:
        for candidate in (part, singular):
            if candidate == word or (len(word) > 3 and candidate.endswith(word)):
                return word
    return None


def name_reason(name: str) -> str | None:
    parts = _parts(name)
    if parts and parts[-1] in HARMLESS_WORDS:
        return None
    for part in parts:
        word = _matches(part, SECRET_WORDS)
        if word is not None:
            return f"its name contains {word.lower()!r}"
    return None


def is_password_name(name: str) -> bool:
    parts = _parts(name)
    if parts and parts[-1] in HARMLESS_WORDS:
        return False
    return any(_matches(p, PASSWORD_WORDS) for p in parts)


def is_weak_password(value: str) -> bool:
    return value.lower() in WEAK_PASSWORDS or WEAK_PATTERN.match(value) is not None


def is_address(value: str) -> bool:
    return ADDRESS.match(value) is not None


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def value_reason(value: str) -> str | None:
    if KNOWN_SECRET.search(value):
        return "its value matches a known credential format"
    if is_address(value):
        return None
    if (
        len(value) >= MIN_ENTROPY_LENGTH
        and " " not in value
        and "/" not in value.strip("/=+")
        and entropy(value) >= ENTROPY_BITS
        and sum(c.isdigit() for c in value) >= 2
        and any(c.isalpha() for c in value)
    ):
        return f"its value looks random ({entropy(value):.1f} bits per character)"
    return None


@functools.lru_cache(maxsize=4096)
def reason(key: str, value: str) -> str | None:
    """Why env `key: value` looks like a secret, or None (memoized: the same pairs, such as
    LOG_LEVEL: info, recur in thousands of services)."""
    value = value.strip()
    if is_password_name(key) and is_weak_password(value):
        return "its value is a well-known weak password"
    found = value_reason(value)
    if found is not None:
        return found
    if PLAIN.match(value) or is_address(value):
        return None
    return name_reason(key)


def check(ctx: Context) -> Iterator[Hit]:
    for section, workloads in (("services", ctx.bp.services), ("jobs", ctx.bp.jobs)):
        for name, w in sorted(workloads.items()):
            for key, value in sorted(w.plain_env.items()):
                why = reason(key, value)
                if why is None:
                    continue
                subject = f"{section}.{name}"
                yield Hit(
                    subject,
                    f"env {key} looks like a secret ({why}) but is a plain value; move it "
                    f"to secrets: {{{key}: {{store: ..., key: ...}}}}",
                    (subject, f"{subject}.env.{key}"),
                    (section, name, "env", key),
                )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  api:
    platform: kubernetes
    env:
      DB_HOST: postgres.data.svc.cluster.local:5432
      DB_PASS: hunter2
""",
    good="""\
name: demo
platforms:
  kubernetes: {namespace: demo}
services:
  api:
    platform: kubernetes
    env:
      DB_HOST: postgres.data.svc.cluster.local:5432
    secrets:
      DB_PASS: {store: vault, key: api-db-password}
resources:
  vault: {kind: secret-store}
""",
)


RULE = Rule(
    id="BP4001",
    name="plaintext-secret",
    title="Secret-looking environment value in plain text",
    severity="error",
    rationale=(
        "A plain env value is rendered into Helm values, task definitions and Git history, "
        "where anyone with read access copies it (the seed's passwords in Helm values and "
        "Grafana config). Secrets belong in a secret store, referenced by key. Addresses (DNS "
        "names, host:port, in-cluster service names, URLs without credentials) are not "
        "secrets; a well-known weak password under a password-like name is one at any length."
    ),
    fix=(
        "Put the value in a secret store and reference it: secrets: {NAME: {store: vault, "
        "key: name}}; rotate the value that was committed."
    ),
    check=check,
    example=EXAMPLE,
    controls=("cis-kubernetes:5.4.1", "cis-kubernetes:5.4.2", "nist-800-53:IA-5(7)"),
    reads_graph=False,
)
