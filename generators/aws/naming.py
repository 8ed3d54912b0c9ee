"""Names: Terraform labels, CloudFormation logical ids and the physical AWS names, all derived
deterministically from blueprint names (which are DNS labels)."""

from __future__ import annotations

import functools
import hashlib
import re

_LABEL = re.compile(r"^[a-z][a-z0-9_]*$")

# Names are asked for again and again (each resource's label, id and name by every concern
# that refers to it: 22,000 logical ids at 5,000 services); each is a pure function of its
# parts, so each distinct one is derived once.
_memo = functools.lru_cache(maxsize=65_536)


@_memo
def tf_label(*parts: str) -> str:
    """A Terraform resource label: blueprint names joined by `_`, hyphens as underscores."""
    label = "_".join(parts).replace("-", "_")
    if not _LABEL.match(label):
        raise ValueError(f"cannot make a Terraform label of {parts!r}")
    return label


@_memo
def cfn_id(*parts: str) -> str:
    """A CloudFormation logical id: the parts in PascalCase (alphanumeric only)."""
    words = [w for p in parts for w in re.split(r"[-_]", p) if w]
    logical = "".join(w[:1].upper() + w[1:] for w in words)
    if not logical.isalnum() or not logical[:1].isalpha():
        raise ValueError(f"cannot make a CloudFormation logical id of {parts!r}")
    return logical


@_memo
def physical(*parts: str, limit: int, sep: str = "-") -> str:
    """`parts` joined by `sep`; when longer than `limit`, cut and made unique with a short hash
    of the full name, so long blueprint names never collide or exceed an AWS limit."""
    full = sep.join(p for p in parts if p)
    if len(full) <= limit:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:8]
    return full[: limit - 9].rstrip("-_/.") + "-" + digest
