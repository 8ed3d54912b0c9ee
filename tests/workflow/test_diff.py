"""`blueprint diff`: the security diff between two versions of a blueprint."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT, run_cli

FARGATE = "examples/aws-fargate-api/blueprint.yaml"
IAM = "examples/company-iam/blueprint.yaml"


def _edited(tmp_path: Path, example: str, *edits: tuple[str, str]) -> str:
    text = (ROOT / example).read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    head = tmp_path / "head.yaml"
    head.write_text(text, encoding="utf-8")
    return str(head)


@pytest.fixture
def fargate_widened(tmp_path: Path) -> str:
    """aws-fargate-api with the load balancer made external and the bucket grant widened."""
    return _edited(
        tmp_path,
        FARGATE,
        ("    internal: true\n", "    internal: false\n"),
        ("{resource: uploads, access: read}", "{resource: uploads, access: write}"),
        ("    latency_budget: 1.0\n", "    latency_budget: 3.0\n"),
    )


def test_widened_grant_and_new_public_path_text(fargate_widened: str) -> None:
    code, out, err = run_cli("diff", FARGATE, fargate_widened, "--fail-on-widening")
    assert (code, err) == (1, "")
    assert out == (
        f"security diff: {FARGATE} -> {fargate_widened}\n"
        "internet exposure:\n"
        "  + services.web: internet (0.0.0.0/0 tcp/8080) -> ingress.lb -> services.web  [widens]\n"
        "grants:\n"
        "  + services.web.identity: write on resources.uploads (new access level; held read)"
        "  [widens]\n"
        "  - services.web.identity: read on resources.uploads\n"
        "latency budgets:\n"
        "  ~ ingress.api: budget 1 s, critical path 0 s -> "
        "budget 3 s, critical path 0 s (loosened)\n"
        "4 change(s), 2 widen exposure\n"
    )


def test_without_fail_on_widening_the_diff_only_reports(fargate_widened: str) -> None:
    code, _out, _err = run_cli("diff", FARGATE, fargate_widened)
    assert code == 0


def test_widened_grant_json(fargate_widened: str) -> None:
    code, out, _err = run_cli("diff", FARGATE, fargate_widened, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["widening"] == 2
    assert data["changes"][:2] == [
        {
            "category": "exposure",
            "change": "added",
            "detail": "internet (0.0.0.0/0 tcp/8080) -> ingress.lb -> services.web",
            "subject": "services.web",
            "widens": True,
        },
        {
            "category": "grants",
            "change": "added",
            "detail": "write on resources.uploads (new access level; held read)",
            "subject": "services.web.identity",
            "widens": True,
        },
    ]


def test_widened_grant_markdown(fargate_widened: str) -> None:
    code, out, _err = run_cli("diff", FARGATE, fargate_widened, "--format", "markdown")
    assert code == 0
    shown = fargate_widened.replace("_", "\\_")
    assert out == (
        "### blueprint security diff\n"
        "\n"
        f"{FARGATE} → {shown}: **4 change(s), 2 widen exposure**\n"
        "\n"
        "| | category | change | subject | detail |\n"
        "|---|---|---|---|---|\n"
        "| ⚠️ widens | internet exposure | added | services.web | "
        "internet (0.0.0.0/0 tcp/8080) → ingress.lb → services.web |\n"
        "| ⚠️ widens | grants | added | services.web.identity | "
        "write on resources.uploads (new access level; held read) |\n"
        "|  | grants | removed | services.web.identity | read on resources.uploads |\n"
        "|  | latency budgets | changed | ingress.api | "
        "budget 1 s, critical path 0 s → budget 3 s, critical path 0 s (loosened) |\n"
    )


def test_wildcard_grant_is_named(tmp_path: Path) -> None:
    head = _edited(
        tmp_path, FARGATE, ("{resource: uploads, access: read}", "{resource: uploads, access: '*'}")
    )
    code, out, _err = run_cli("diff", FARGATE, head, "--fail-on-widening")
    assert code == 1
    assert "  + services.web.identity: * on resources.uploads (wildcard)  [widens]\n" in out


def test_identity_changes(tmp_path: Path) -> None:
    head = _edited(
        tmp_path,
        IAM,
        ("  s3: {kind: bucket,", "  iam: {kind: iam}\n  s3: {kind: bucket,"),
        (
            "        - {resource: s3, access: read}\n",
            "        - {resource: s3, access: read}\n        - {resource: iam, access: manage}\n"
            "    auditor:\n      grants:\n        - {resource: s3, access: read}\n",
        ),
        (
            "    leo: {kind: human, scopes: [developer], console: true, mfa: true}\n",
            "    leo: {kind: human, scopes: [developer, service-publisher], console: true}\n"
            "    mallory: {kind: human, console: true, can_assume: [builder-ci]}\n",
        ),
        (
            "    builder-ci: {kind: automation, scopes: [infra-builder], access_keys: true}\n",
            "    builder-ci: {kind: automation, scopes: [infra-builder], access_keys: true}\n"
            "policy:\n  waivers:\n"
            "    - {rule: BP1001, subject: identity.principals.mallory, owner: sec-team,\n"
            "       reason: temporary access for the audit, expires: 2030-01-31}\n",
        ),
    )
    code, out, err = run_cli("diff", IAM, head, "--fail-on-widening")
    assert (code, err) == (1, "")
    assert out == (
        f"security diff: {IAM} -> {head}\n"
        "grants:\n"
        "  + identity.principals.leo: manage on resources.iam (new resource)  [widens]\n"
        "  + identity.principals.leo: push on resources.ecr (new access level; held read)"
        "  [widens]\n"
        "principals:\n"
        "  ~ identity.principals.leo: MFA disabled  [widens]\n"
        "  ~ identity.principals.leo: joined scope identity.scopes.service-publisher  [widens]\n"
        "  + identity.principals.mallory: kind human, console access, without MFA  [widens]\n"
        "scopes:\n"
        "  + identity.scopes.auditor: new scope\n"
        "escalation paths:\n"
        "  + identity.principals.leo: identity.principals.leo -> identity.scopes.developer -> "
        "resources.iam -> * (any privilege) (policy-writing)  [widens]\n"
        "  + identity.principals.mallory: identity.principals.mallory -> "
        "identity.principals.builder-ci (assume)  [widens]\n"
        "waivers:\n"
        "  + identity.principals.mallory: BP1001 waived, owner sec-team, expires 2030-01-31"
        "  [widens]\n"
        "9 change(s), 8 widen exposure\n"
    )


def test_no_change_is_reported_as_such() -> None:
    code, out, err = run_cli("diff", FARGATE, FARGATE, "--fail-on-widening")
    assert (code, out, err) == (
        0,
        f"security diff: {FARGATE} -> {FARGATE}\nno security-relevant changes\n",
        "",
    )


def test_markdown_never_carries_markup_from_free_text(tmp_path: Path) -> None:
    base = _edited(tmp_path, FARGATE, ("gitops:\n", "gitops:\n"))
    head = tmp_path / "hostile.yaml"
    head.write_text(
        Path(base).read_text()
        + "policy:\n  waivers:\n"
        + "    - {rule: BP1001, subject: services.web, owner: '@org/team <b>|x`*',\n"
        + "       reason: '[click](http://evil) | ok', expires: 2030-01-31}\n",
        encoding="utf-8",
    )
    code, out, _err = run_cli("diff", base, str(head), "--format", "markdown")
    assert code == 0
    row = out.splitlines()[-1]
    assert row == (
        "| ⚠️ widens | waivers | added | services.web | BP1001 waived, owner "
        "&#64;org/team \\<b\\>\\|x\\`\\*, expires 2030\\-01\\-31 |".replace("\\-", "-")
    )


def test_bad_input_in_both_files_is_positioned(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text("name: x\nservices: [\n", encoding="utf-8")
    head = tmp_path / "head.yaml"
    head.write_text("name: x\nnetworks: 3\n", encoding="utf-8")
    code, out, err = run_cli("diff", str(base), str(head))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{base}:2:11: invalid YAML")
    assert lines[1].startswith(f"{head}:2:11: ")


def test_usage_needs_two_files_or_git() -> None:
    assert run_cli("diff", FARGATE) == (
        2,
        "",
        "blueprint diff: error: expected BASE.yaml HEAD.yaml, or --git REV FILE\n",
    )


def _git(repo: Path, *argv: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *argv],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_git_revision_of_the_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "sys").mkdir(parents=True)
    blueprint = repo / "sys" / "blueprint.yaml"
    blueprint.write_bytes((ROOT / FARGATE).read_bytes())
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    blueprint.write_text(
        blueprint.read_text().replace("    internal: true\n", "    internal: false\n"),
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    code, out, err = run_cli("diff", "--git", "main", "sys/blueprint.yaml", "--fail-on-widening")
    assert (code, err) == (1, "")
    assert out == (
        "security diff: main:sys/blueprint.yaml -> sys/blueprint.yaml\n"
        "internet exposure:\n"
        "  + services.web: internet (0.0.0.0/0 tcp/8080) -> ingress.lb -> services.web  [widens]\n"
        "1 change(s), 1 widen exposure\n"
    )
    code, _out, err = run_cli("diff", "--git", "no-such-rev", "sys/blueprint.yaml")
    assert code == 2
    assert err.startswith("sys/blueprint.yaml:1:1: cannot read it at revision 'no-such-rev': ")


def test_git_file_new_at_head_is_all_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README").write_text("x\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    (repo / "blueprint.yaml").write_bytes((ROOT / FARGATE).read_bytes())
    monkeypatch.chdir(repo)
    code, out, _err = run_cli("diff", "--git", "main", "blueprint.yaml")
    assert code == 0
    assert out.splitlines()[0] == "security diff: main:blueprint.yaml (absent) -> blueprint.yaml"
    assert (
        "  + services.web: internet (0.0.0.0/0 tcp/443) -> ingress.api -> ingress.lb -> "
        "services.web  [widens]" in out
    )


def test_latency_chain_critical_path_change(tmp_path: Path) -> None:
    head = _edited(
        tmp_path,
        "examples/latency-chain/blueprint.yaml",
        ("{service: predict, latency: 4.0}", "{service: predict, latency: 5.0}"),
    )
    code, out, _err = run_cli("diff", "examples/latency-chain/blueprint.yaml", head)
    assert code == 0
    assert out.splitlines()[1:] == [
        "latency budgets:",
        "  ~ services.app: budget 2 s, critical path 6.5 s -> budget 2 s, critical path 7.5 s "
        "(slower)",
        "1 change(s), 0 widen exposure",
    ]


def test_overrides_added_changed_and_removed(tmp_path: Path) -> None:
    text = (ROOT / FARGATE).read_text(encoding="utf-8")
    base = tmp_path / "base.yaml"
    base.write_text(
        text
        + "overrides:\n  terraform:\n    aws:\n      files:\n"
        + '        audit.tf: {content: "# audit\\n"}\n'
        + '        old.tf: {content: "# old\\n"}\n',
        encoding="utf-8",
    )
    head = tmp_path / "head.yaml"
    head.write_text(
        text
        + "overrides:\n  terraform:\n    aws:\n      files:\n"
        + '        audit.tf: {content: "# audit, longer retention\\n"}\n'
        + '        ecs_override.tf: {content: "# new\\n"}\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("diff", str(base), str(head), "--fail-on-widening")
    assert (code, err) == (1, "")
    assert out == (
        f"security diff: {base} -> {head}\n"
        "overrides (not verified by the rules):\n"
        "  + overrides.terraform.aws: Terraform file ecs_override.tf added  [widens]\n"
        "  ~ overrides.terraform.aws: Terraform file audit.tf changed  [widens]\n"
        "  - overrides.terraform.aws: Terraform file old.tf removed\n"
        "3 change(s), 2 widen exposure\n"
    )
