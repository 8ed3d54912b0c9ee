"""`blueprint manifests` on a 2,000-service system stays under 30 s (issue 21, defect 7).

Argo CD's repo-server gives a Config Management Plugin 90 s by default, shared on a busy server;
68 s for 2,000 services left no margin. Measured as the plugin runs it: a fresh process.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

SERVICES = 2_000
BUDGET_SECONDS = 30.0
TEAM = 10


def kubernetes_system(services: int) -> str:
    """Teams of ten Kubernetes services; each calls the next two of its team."""
    out = [
        f"name: scale-{services}",
        "platforms:",
        "  kubernetes: {namespace: scale}",
        "services:",
    ]
    for i in range(services):
        team, member = divmod(i, TEAM)
        calls = [f"s{team * TEAM + m}" for m in (member + 1, member + 2) if m < TEAM]
        calls = [c for c in calls if int(c[1:]) < services]
        out += [
            f"  s{i}:",
            "    platform: kubernetes",
            f'    image: {{registry: ghcr.io, repository: scale/s{i}, tag: "1.0.{i}"}}',
            "    port: 8080",
            "    replicas: 2",
            "    health: {path: /healthz}",
            "    metrics: {path: /metrics}",
            f"    env: {{TEAM: t{team}, LOG_LEVEL: info}}",
        ]
        if calls:
            out.append("    calls: [" + ", ".join(f"{{service: {c}}}" for c in calls) + "]")
    return "\n".join(out) + "\n"


@pytest.mark.slow
def test_manifests_of_two_thousand_services_stay_under_thirty_seconds(tmp_path: Path) -> None:
    blueprint = tmp_path / "blueprint.yaml"
    blueprint.write_text(kubernetes_system(SERVICES), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "blueprint", "manifests", str(blueprint)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    if result.returncode == 0:
        assert result.stdout.count("\nkind: Deployment\n") >= SERVICES - 1
    print(f"blueprint manifests, {SERVICES} services: {wall:.1f} s wall, {cpu:.1f} s CPU")
    # CPU time, not wall time: eight test runs share two cores here, and wall time measured
    # the neighbours (22 to 37 s for the same 10 s of CPU). On an idle core they are equal.
    assert cpu < BUDGET_SECONDS, f"{cpu:.1f} s CPU ({wall:.1f} s wall) for {SERVICES} services"
