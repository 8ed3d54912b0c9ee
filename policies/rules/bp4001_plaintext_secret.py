"""BP4001: environment values that look like secrets."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Hit, Rule

# Parts of an environment variable name that say it holds a secret.
SECRET_WORDS = (
    "PASSWORD",
    "PASSWD",
    "PWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATE",
    "AUTH",
    "DSN",
    "CONNECTIONSTRING",
)
# Parts that make such a name harmless: TOKEN_TTL, KEY_ID, SECRET_NAME (a reference).
HARMLESS_WORDS = frozenset({"ID", "TTL", "NAME", "ARN", "PATH", "FILE", "URL", "ENDPOINT", "TYPE"})
KNOWN_SECRET = re.compile(
    r"AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{30,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|://[^/\s:@]+:[^/\s@]+@"
)
MIN_ENTROPY_LENGTH = 20
ENTROPY_BITS = 4.0
PLAIN = re.compile(r"^(-?\d+(\.\d+)?|true|false|yes|no|on|off|)$", re.IGNORECASE)


def name_reason(name: str) -> str | None:
    parts = [p for p in re.split(r"[_\-.]", name.upper()) if p]
    if any(p in HARMLESS_WORDS for p in parts[-1:]):
        return None
    for part in parts:
        for word in SECRET_WORDS:
            if part == word or (len(word) > 3 and part.endswith(word)):
                return f"its name contains {word.lower()!r}"
    return None


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())


def value_reason(value: str) -> str | None:
    if KNOWN_SECRET.search(value):
        return "its value matches a known credential format"
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


def check(ctx: Context) -> Iterator[Hit]:
    for section, workloads in (("services", ctx.bp.services), ("jobs", ctx.bp.jobs)):
        for name, w in sorted(workloads.items()):
            for key, value in sorted(w.env.items()):
                reason = value_reason(value)
                if reason is None and not PLAIN.match(value.strip()):
                    reason = name_reason(key)
                if reason is None:
                    continue
                subject = f"{section}.{name}"
                yield Hit(
                    subject,
                    f"env {key} looks like a secret ({reason}) but is a plain value; move it "
                    f"to secrets: {{{key}: {{store: ..., key: ...}}}}",
                    (subject, f"{subject}.env.{key}"),
                    (section, name, "env", key),
                )


RULE = Rule(
    id="BP4001",
    name="plaintext-secret",
    title="Secret-looking environment value in plain text",
    severity="error",
    rationale=(
        "A plain env value is rendered into Helm values, task definitions and Git history, "
        "where anyone with read access copies it (the seed's passwords in Helm values and "
        "Grafana config). Secrets belong in a secret store, referenced by key."
    ),
    fix=(
        "Put the value in a secret store and reference it: secrets: {NAME: {store: vault, "
        "key: name}}; rotate the value that was committed."
    ),
    check=check,
)
