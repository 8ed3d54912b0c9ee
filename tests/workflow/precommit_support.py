"""Running the real pre-commit tool against this checkout, in throwaway git repositories.

pre-commit installs a hook repository by cloning it at a revision and pip-installing it into
a virtual environment of its own (from PyPI; the only network these tests use). The snapshot
below commits the working tree as it is, uncommitted changes included, so one install serves
every run of a test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git_env(home: Path) -> dict[str, str]:
    config = home / "gitconfig"
    if not config.exists():
        home.mkdir(parents=True, exist_ok=True)
        config.write_text(
            "[user]\n\tname = Test\n\temail = test@example.com\n"
            "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
            encoding="utf-8",
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        GIT_CONFIG_GLOBAL=str(config),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(home / "pre-commit-cache"),
        PRE_COMMIT_COLOR="never",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs a command; stdout holds stdout and stderr interleaved (git prints hook output on
    stderr)."""
    return subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def snapshot_checkout(dest: Path, env: dict[str, str]) -> str:
    """A git repository holding this checkout's files as they are now; returns its HEAD sha."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if rel.startswith("out/") or not source.is_file() or source.is_symlink():
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    readme = dest / "README.md"
    if not readme.exists():  # pyproject names it; the lead's README arrives on main
        readme.write_text("# blueprint\n", encoding="utf-8")
    for argv in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "snap"]):
        subprocess.run(argv, cwd=dest, env=env, check=True, capture_output=True)
    return run(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


def config_text(hook_repo: Path, rev: str, *, out: str | None = None) -> str:
    args = f"\n        args: [--out, '{out}']" if out else ""
    return (
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        f"      - id: blueprint-render{args}\n"
        f"      - id: blueprint-check{args}\n"
    )
