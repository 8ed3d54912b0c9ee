"""`blueprint rules --framework` and `blueprint explain` with its examples; SARIF tags."""

from __future__ import annotations

from policies.registry import find
from policies.report import sarif
from tests.support import run_cli


def test_rules_framework_lists_the_mapped_rules_with_their_controls() -> None:
    code, out, err = run_cli("rules", "--framework", "cis-kubernetes")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "# CIS Kubernetes Benchmark v1.8.0",
        "BP1001  error    5.1.3           Wildcard grant (any access or any resource)",
        "BP1004  error    5.1.8           Privilege escalation path",
        "BP2006  error    5.3.2           Service admits internal traffic beyond its declared "
        "callers",
        "BP4001  error    5.4.1, 5.4.2    Secret-looking environment value in plain text",
        "BP5001  warning  5.5.1           Mutable image reference (latest, or no digest in "
        "production)",
    ]


def test_rules_framework_cis_aws_names_the_network_controls() -> None:
    code, out, _ = run_cli("rules", "--framework", "cis-aws")
    assert code == 0
    assert (
        "BP2005  error    5.1, 5.2, 5.3   Open to 0.0.0.0/0 or ::/0 beyond 80/443 of a public "
        "entry point"
    ) in out.splitlines()


def test_rules_unknown_framework_suggests_and_exits_2() -> None:
    code, out, err = run_cli("rules", "--framework", "nist")
    assert (code, out) == (2, "")
    assert err == (
        "blueprint: unknown framework 'nist'; expected one of: cis-aws, cis-kubernetes, "
        "nist-800-53\n"
    )


def test_explain_shows_the_bad_and_the_fixed_example() -> None:
    code, out, err = run_cli("explain", "BP3002")
    assert (code, err) == (0, "")
    rule = find("BP3002")
    assert rule is not None
    assert out == (
        "BP3002 (call-cycle): Call cycle\n"
        "default severity: error\n"
        "controls: none mapped\n\n"
        f"{rule.rationale}\n\n"
        f"fix: {rule.fix}\n\n"
        "raises BP3002:\n\n"
        "    name: demo\n"
        "    platforms:\n"
        "      kubernetes: {namespace: demo}\n"
        "    services:\n"
        "      orders: {platform: kubernetes, calls: [{service: billing}]}\n"
        "      billing: {platform: kubernetes, calls: [{service: orders}]}\n\n"
        "fixed:\n\n"
        "    name: demo\n"
        "    platforms:\n"
        "      kubernetes: {namespace: demo}\n"
        "    services:\n"
        "      orders: {platform: kubernetes, calls: [{service: billing}]}\n"
        "      billing: {platform: kubernetes}\n\n"
        "docs: https://github.com/blueprint-dev/blueprint/blob/main/docs/rules.md#bp3002\n"
    )


def test_sarif_rules_carry_family_and_control_tags() -> None:
    rules = {r["id"]: r for r in sarif([])["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["BP2005"]["properties"]["tags"] == [
        "network",
        "cis-aws:5.1",
        "cis-aws:5.2",
        "cis-aws:5.3",
        "nist-800-53:SC-7",
    ]
    assert rules["BP5002"]["properties"]["tags"] == [
        "supply-chain",
        "nist-800-53:SA-22",
        "nist-800-53:SI-2",
    ]
