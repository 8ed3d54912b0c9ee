"""The explicit registry of rules: adding a rule means adding its module here."""

from __future__ import annotations

from policies.rules import (
    bp1001_wildcard_grant,
    bp1002_excess_grant,
    bp1003_missing_grant,
    bp1004_escalation_path,
    bp1005_separation_of_duties,
    bp1006_human_service_identity,
    bp1007_root_account,
    bp1008_console_without_mfa,
    bp1009_service_console,
    bp1010_long_lived_keys,
    bp1011_task_execution_role,
    bp1012_infrastructure_access,
    bp2001_subnet_cidr,
    bp2002_private_placement,
    bp2003_private_egress,
    bp2004_internet_reachability,
    bp2005_open_ingress,
    bp2006_east_west,
    bp2007_entry_point_ports,
    bp2008_uncarried_call,
    bp3001_latency_budget,
    bp3002_call_cycle,
    bp3003_blast_radius,
    bp3004_unbuffered_write,
    bp3005_single_replica,
    bp3006_public_scaled_to_zero,
    bp3007_single_zone,
    bp4001_plaintext_secret,
    bp4002_health_and_metrics,
    bp4003_access_logs,
    bp4004_log_retention,
    bp5001_mutable_image,
    bp5002_end_of_life_runtime,
    bp6001_not_rendered,
    bp6002_override,
    bp9000_policy,
)
from policies.rules.base import Rule

RuleInfo = Rule  # the name the first CLI modules used

CHECKS: tuple[Rule, ...] = (
    bp1001_wildcard_grant.RULE,
    bp1002_excess_grant.RULE,
    bp1003_missing_grant.RULE,
    bp1004_escalation_path.RULE,
    bp1005_separation_of_duties.RULE,
    bp1006_human_service_identity.RULE,
    bp1007_root_account.RULE,
    bp1008_console_without_mfa.RULE,
    bp1009_service_console.RULE,
    bp1010_long_lived_keys.RULE,
    bp1011_task_execution_role.RULE,
    bp1012_infrastructure_access.RULE,
    bp2001_subnet_cidr.RULE,
    bp2002_private_placement.RULE,
    bp2003_private_egress.RULE,
    bp2004_internet_reachability.RULE,
    bp2005_open_ingress.RULE,
    bp2006_east_west.RULE,
    bp2007_entry_point_ports.RULE,
    bp2008_uncarried_call.RULE,
    bp3001_latency_budget.RULE,
    bp3002_call_cycle.RULE,
    bp3003_blast_radius.RULE,
    bp3004_unbuffered_write.RULE,
    bp3005_single_replica.RULE,
    bp3006_public_scaled_to_zero.RULE,
    bp3007_single_zone.RULE,
    bp4001_plaintext_secret.RULE,
    bp4002_health_and_metrics.RULE,
    bp4003_access_logs.RULE,
    bp4004_log_retention.RULE,
    bp5001_mutable_image.RULE,
    bp5002_end_of_life_runtime.RULE,
    bp6001_not_rendered.RULE,
    bp6002_override.RULE,
)
# Reported by the engine while it applies policy settings.
EXPIRED_WAIVER = bp9000_policy.EXPIRED_WAIVER
UNMATCHED_WAIVER = bp9000_policy.UNMATCHED_WAIVER
UNKNOWN_RULE = bp9000_policy.UNKNOWN_RULE

RULES: tuple[Rule, ...] = (*CHECKS, EXPIRED_WAIVER, UNMATCHED_WAIVER, UNKNOWN_RULE)
BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def find(rule_id: str) -> Rule | None:
    return BY_ID.get(rule_id.strip().upper())
