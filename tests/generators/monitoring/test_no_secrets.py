"""No rendered file of the gitops or monitoring targets carries a credential."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.generators.gitops.render import blueprint as gitops_blueprint
from tests.generators.gitops.render import render as render_gitops
from tests.generators.gitops.render import render_example as render_gitops_example
from tests.generators.monitoring.render import mixed, render, render_example

SECRET_KEY = re.compile(
    r"pass(word|wd)?|secret|token|api[-_]?key|credential|private[-_]?key|securejsondata|auth",
    re.IGNORECASE,
)
# key: value or key=value in the raw text, whatever the format.
SECRET_TEXT = re.compile(
    r"(password|passwd|secret|token|api[-_]?key)[\"']?\s*[:=]\s*[\"']?[^\s\"'{\[]", re.IGNORECASE
)


def _cases() -> dict[str, dict[str, str]]:
    cases = {f"monitoring:{e}": render_example(e) for e in EXAMPLES}
    cases.update({f"gitops:{e}": render_gitops_example(e) for e in EXAMPLES})
    cases["monitoring:mixed"] = render(mixed())
    cases["gitops:ssh"] = render_gitops(
        gitops_blueprint(gitops={"repository": "git@github.com:example/shop.git"})
    )
    return cases


CASES = _cases()


def _scalars(node: Any, path: str = "") -> Iterator[tuple[str, str, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _scalars(value, f"{path}/{key}")
            else:
                yield f"{path}/{key}", str(key), value
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _scalars(item, f"{path}/{i}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_secret_looking_key_has_a_value(case: str) -> None:
    for path, text in CASES[case].items():
        document = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
        flagged = [
            (where, value)
            for where, key, value in _scalars(document)
            if SECRET_KEY.search(key) and value not in (None, "", False)
        ]
        assert flagged == [], path
        assert SECRET_TEXT.findall(text) == [], path


def test_the_check_would_catch_one() -> None:
    datasource = {"datasources": [{"name": "p", "secureJsonData": {"password": "hunter2"}}]}
    flagged = [w for w, key, value in _scalars(datasource) if SECRET_KEY.search(key) and value]
    assert flagged == ["/datasources/0/secureJsonData/password"]
    assert SECRET_TEXT.findall("admin_password = hunter2\n") == ["password"]


def test_the_only_secret_is_a_reference_by_name() -> None:
    source = yaml.safe_load(CASES["gitops:ssh"]["gitops/flux/gitrepository.yaml"])
    assert source["spec"]["secretRef"] == {"name": "shop-git-auth"}
