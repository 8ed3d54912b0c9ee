"""A security-focused semantic diff of two blueprints, in text, JSON and Markdown.

It compares the two security surfaces (policies.security_surface), not the YAML text: a
reordered file is no change, while a load balancer made external is a new internet path. A
change "widens" when exposure grows: a new public path, a new grant, a new principal or
membership, weaker console settings, a new escalation path, a new or extended waiver, a new or
changed override (which no rule verifies).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from policies.security_surface import Privilege, Surface

CATEGORIES: dict[str, str] = {
    "exposure": "internet exposure",
    "grants": "grants",
    "principals": "principals",
    "scopes": "scopes",
    "escalations": "escalation paths",
    "waivers": "waivers",
    "budgets": "latency budgets",
    "overrides": "overrides (not verified by the rules)",
}
_ORDER = {key: i for i, key in enumerate(CATEGORIES)}


@dataclass(frozen=True)
class Change:
    category: str  # a key of CATEGORIES
    change: str  # added | removed | changed
    subject: str  # dotted path in the blueprint: services.web, identity.principals.leo
    detail: str
    widens: bool

    def sort_key(self) -> tuple[int, str, str, str]:
        return (_ORDER[self.category], self.subject, self.change, self.detail)


@dataclass(frozen=True)
class SecurityDiff:
    base: str
    head: str
    changes: tuple[Change, ...]

    @property
    def widening(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.widens)


def compare(base: Surface, head: Surface, base_name: str, head_name: str) -> SecurityDiff:
    changes = [
        *_exposure(base, head),
        *_grants(base, head),
        *_principals(base, head),
        *_scopes(base, head),
        *_escalations(base, head),
        *_waivers(base, head),
        *_budgets(base, head),
        *_overrides(base, head),
    ]
    return SecurityDiff(base_name, head_name, tuple(sorted(changes, key=Change.sort_key)))


def _exposure(base: Surface, head: Surface) -> Iterator[Change]:
    for key in sorted(set(head.exposure) - set(base.exposure)):
        yield Change("exposure", "added", key[0], " -> ".join(head.exposure[key]), widens=True)
    for key in sorted(set(base.exposure) - set(head.exposure)):
        yield Change("exposure", "removed", key[0], " -> ".join(base.exposure[key]), widens=False)


def _privilege(p: Privilege) -> str:
    target, access = p
    return f"{access} on {'* (any resource)' if target == '*' else target}"


def _grants(base: Surface, head: Surface) -> Iterator[Change]:
    for holder in sorted(set(base.grants) | set(head.grants)):
        old = base.grants.get(holder, frozenset())
        new = head.grants.get(holder, frozenset())
        for target, access in sorted(new - old):
            held = sorted(a for t, a in old if t == target)
            if target == "*" or access == "*":
                why = "wildcard"
            elif not held:
                why = "new resource"
            else:
                why = f"new access level; held {', '.join(held)}"
            yield Change(
                "grants", "added", holder, f"{_privilege((target, access))} ({why})", widens=True
            )
        for privilege in sorted(old - new):
            yield Change("grants", "removed", holder, _privilege(privilege), widens=False)


def _principals(base: Surface, head: Surface) -> Iterator[Change]:
    for name in sorted(set(head.principals) - set(base.principals)):
        p = head.principals[name]
        traits = [f"kind {p.kind}"]
        traits += ["console access"] if p.console else []
        traits += ["without MFA"] if p.console and not p.mfa else []
        traits += ["access keys"] if p.access_keys else []
        traits += [f"scopes {', '.join(p.scopes)}"] if p.scopes else []
        yield Change("principals", "added", name, ", ".join(traits), widens=True)
    for name in sorted(set(base.principals) - set(head.principals)):
        yield Change("principals", "removed", name, f"kind {base.principals[name].kind}", False)
    for name in sorted(set(base.principals) & set(head.principals)):
        old, new = base.principals[name], head.principals[name]
        if old.console != new.console:
            yield Change(
                "principals",
                "changed",
                name,
                "console access enabled" if new.console else "console access removed",
                widens=new.console,
            )
        if old.mfa != new.mfa:
            yield Change(
                "principals",
                "changed",
                name,
                "MFA enabled" if new.mfa else "MFA disabled",
                widens=not new.mfa,
            )
        if old.access_keys != new.access_keys:
            yield Change(
                "principals",
                "changed",
                name,
                "access keys issued" if new.access_keys else "access keys removed",
                widens=new.access_keys,
            )
        for scope in sorted(set(new.scopes) - set(old.scopes)):
            yield Change("principals", "changed", name, f"joined scope {scope}", widens=True)
        for scope in sorted(set(old.scopes) - set(new.scopes)):
            yield Change("principals", "changed", name, f"left scope {scope}", widens=False)


def _scopes(base: Surface, head: Surface) -> Iterator[Change]:
    # A scope reaches nobody until a principal joins it; memberships are reported above.
    for name in sorted(head.scopes - base.scopes):
        yield Change("scopes", "added", name, "new scope", widens=False)
    for name in sorted(base.scopes - head.scopes):
        yield Change("scopes", "removed", name, "scope removed", widens=False)


def _escalations(base: Surface, head: Surface) -> Iterator[Change]:
    for key in sorted(set(head.escalations) - set(base.escalations)):
        yield Change(
            "escalations", "added", key[0], " -> ".join(head.escalations[key]), widens=True
        )
    for key in sorted(set(base.escalations) - set(head.escalations)):
        yield Change(
            "escalations", "removed", key[0], " -> ".join(base.escalations[key]), widens=False
        )


def _waivers(base: Surface, head: Surface) -> Iterator[Change]:
    for rule, subject in sorted(set(head.waivers) - set(base.waivers)):
        w = head.waivers[(rule, subject)]
        yield Change(
            "waivers",
            "added",
            subject,
            f"{rule} waived, owner {w.owner}, expires {w.expires.isoformat()}",
            widens=True,
        )
    for rule, subject in sorted(set(base.waivers) - set(head.waivers)):
        yield Change("waivers", "removed", subject, f"{rule} no longer waived", widens=False)
    for key in sorted(set(base.waivers) & set(head.waivers)):
        old, new = base.waivers[key], head.waivers[key]
        if old.expires != new.expires:
            yield Change(
                "waivers",
                "changed",
                key[1],
                f"{key[0]} waiver expires {new.expires.isoformat()} "
                f"(was {old.expires.isoformat()})",
                widens=new.expires > old.expires,
            )
        if old.evidence != new.evidence:
            yield Change(
                "waivers",
                "changed",
                key[1],
                f"{key[0]} waiver evidence changed",
                widens=True,
            )


def _overrides(base: Surface, head: Surface) -> Iterator[Change]:
    # What an override does is not known to the rules: any new or changed one may widen.
    for subject, what in sorted(set(head.overrides) - set(base.overrides)):
        yield Change("overrides", "added", subject, f"{what} added", widens=True)
    for subject, what in sorted(set(base.overrides) - set(head.overrides)):
        yield Change("overrides", "removed", subject, f"{what} removed", widens=False)
    for key in sorted(set(base.overrides) & set(head.overrides)):
        if base.overrides[key] != head.overrides[key]:
            yield Change("overrides", "changed", key[0], f"{key[1]} changed", widens=True)


def _seconds(value: float | None) -> str:
    return "unbounded (a call cycle)" if value is None else f"{value:g} s"


def _budget(fact: tuple[float, float | None]) -> str:
    budget, critical = fact
    return f"budget {_seconds(budget)}, critical path {_seconds(critical)}"


def _budgets(base: Surface, head: Surface) -> Iterator[Change]:
    for subject in sorted(set(base.budgets) | set(head.budgets)):
        old, new = base.budgets.get(subject), head.budgets.get(subject)
        if old == new:
            continue
        if old is None and new is not None:
            yield Change("budgets", "added", subject, _budget(new), widens=False)
        elif new is None and old is not None:
            yield Change("budgets", "removed", subject, _budget(old), widens=False)
        elif old is not None and new is not None:
            notes = []
            if new[0] != old[0]:
                notes.append("loosened" if new[0] > old[0] else "tightened")
            if new[1] != old[1]:
                slower = new[1] is None or (old[1] is not None and new[1] > old[1])
                notes.append("slower" if slower else "faster")
            detail = f"{_budget(old)} -> {_budget(new)} ({', '.join(notes)})"
            yield Change("budgets", "changed", subject, detail, widens=False)


# -- formats --------------------------------------------------------------------------------

_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def summary(diff: SecurityDiff) -> str:
    if not diff.changes:
        return "no security-relevant changes"
    return f"{len(diff.changes)} change(s), {len(diff.widening)} widen exposure"


def as_text(diff: SecurityDiff) -> str:
    lines = [f"security diff: {diff.base} -> {diff.head}"]
    for key, title in CATEGORIES.items():
        rows = [c for c in diff.changes if c.category == key]
        if rows:
            lines.append(f"{title}:")
            lines.extend(
                f"  {_SIGN[c.change]} {c.subject}: {c.detail}" + ("  [widens]" if c.widens else "")
                for c in rows
            )
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


def as_json(diff: SecurityDiff) -> str:
    data = {
        "base": diff.base,
        "head": diff.head,
        "changes": [
            {
                "category": c.category,
                "change": c.change,
                "subject": c.subject,
                "detail": c.detail,
                "widens": c.widens,
            }
            for c in diff.changes
        ],
        "widening": len(diff.widening),
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_escape(text: str) -> str:
    """Plain text for a Markdown table cell: no markup, no HTML, no table breaks, no
    @-mentions (a PR comment must never ping whoever a free-text field names)."""
    flat = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", flat).replace("@", "&#64;")


def _md_detail(text: str) -> str:
    return " → ".join(md_escape(hop) for hop in text.split(" -> "))


def as_markdown(diff: SecurityDiff) -> str:
    lines = [
        "### blueprint security diff",
        "",
        f"{md_escape(diff.base)} → {md_escape(diff.head)}: **{md_escape(summary(diff))}**",
    ]
    if diff.changes:
        lines += ["", "| | category | change | subject | detail |", "|---|---|---|---|---|"]
        lines.extend(
            f"| {'⚠️ widens' if c.widens else ''} | {CATEGORIES[c.category]} | {c.change} | "
            f"{md_escape(c.subject)} | {_md_detail(c.detail)} |"
            for c in diff.changes
        )
    return "\n".join(lines) + "\n"


FORMATS = {"text": as_text, "json": as_json, "markdown": as_markdown}
