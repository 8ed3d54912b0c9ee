"""Access-level semantics, in one table: which access level implies which.

Every rule that compares access (least privilege, escalation, separation of duties) reads this
module; nothing else encodes what an access level means.
"""

from __future__ import annotations

from collections.abc import Iterable

from blueprint.model import Access, ResourceKind

# access -> the access levels it includes (itself included). ADMIN and ANY include everything.
IMPLIES: dict[Access, frozenset[Access]] = {
    Access.READ: frozenset({Access.READ}),
    Access.WRITE: frozenset({Access.WRITE}),
    Access.PULL: frozenset({Access.PULL, Access.READ}),
    Access.PUSH: frozenset({Access.PUSH, Access.PULL, Access.READ}),
    Access.PUBLISH: frozenset({Access.PUBLISH}),
    Access.SUBSCRIBE: frozenset({Access.SUBSCRIBE, Access.READ}),
    Access.INVOKE: frozenset({Access.INVOKE}),
    Access.DEPLOY: frozenset({Access.DEPLOY, Access.READ}),
    Access.MANAGE: frozenset({Access.MANAGE, Access.READ}),
    Access.PASS_ROLE: frozenset({Access.PASS_ROLE}),
    Access.ADMIN: frozenset(Access),
    Access.ANY: frozenset(Access),
}

# Access that changes infrastructure or what runs on it (rather than using data).
INFRASTRUCTURE_CHANGING = frozenset(
    {Access.MANAGE, Access.ADMIN, Access.ANY, Access.DEPLOY, Access.PASS_ROLE}
)
# Access that ships code: the publishing half of separation of duties.
PUBLISHING = frozenset({Access.PUSH})
# Access on the identity service (or on anything) that lets a principal write its own policies.
POLICY_WRITING = frozenset({Access.MANAGE, Access.ADMIN, Access.ANY})
# Access that lets a principal run code under a workload's identity (on the workload itself or
# on the cluster that hosts it).
CODE_RUNNING = frozenset({Access.DEPLOY, Access.MANAGE, Access.ADMIN, Access.ANY})
# Kinds on which POLICY_WRITING means "can create and attach policies".
IDENTITY_KINDS = frozenset({ResourceKind.IAM})

WILDCARD_TARGET = "*"


def implies(granted: Access, wanted: Access) -> bool:
    """Whether holding `granted` on a target includes `wanted` on it."""
    return wanted in IMPLIES[granted]


def expand(access: Iterable[Access]) -> frozenset[Access]:
    """Everything a set of access levels includes."""
    out: set[Access] = set()
    for a in access:
        out |= IMPLIES[a]
    return frozenset(out)


Privilege = tuple[str, Access]  # (target node id or "*", access)


def covers(held: frozenset[Privilege], wanted: Privilege) -> bool:
    """Whether a set of privileges (already expanded) includes `wanted`."""
    return wanted in held or (WILDCARD_TARGET, wanted[1]) in held


def expand_privileges(grants: Iterable[Privilege]) -> frozenset[Privilege]:
    return frozenset((t, a) for t, acc in grants for a in IMPLIES[acc])
