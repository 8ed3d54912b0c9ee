"""This round's fast paths of the load answer exactly as the code they stand in for: the
serving concepts of a plain service, the grant walk's inlined memo, parsed CIDRs kept per text,
and the model's text and size validators that ask first."""

from __future__ import annotations

import functools
import ipaddress
import itertools
from collections.abc import Callable, Iterator
from ipaddress import IPv4Network, IPv6Network
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint.model import Blueprint, Expose, HealthCheck, Metrics, Platform, Service, parse_cidr
from blueprint.model.base import nfc
from blueprint.model.health import NO_TIMING, ProbeTiming
from blueprint.model.resources import DATABASE_FIELDS, Resource, ResourceKind
from blueprint.model.serving import Limits, NamedPort, Storage, WritablePath
from blueprint.model.validators import no_nul, no_nul_nfc, visible, visible_nfc
from blueprint.model.workloads import PodsMetric, Scaling, Workload
from blueprint.references import _Checker
from blueprint.support import serving, usage
from blueprint.support.matrix import CONCEPTS
from blueprint.support.serving import each_serving_concept, serving_concepts
from blueprint.support.usage import (
    Usage,
    _grant_subject,
    _GrantWalk,
    _Verdict,
    usages,
)
from tests.blueprint.support_samples import sample
from tests.blueprint.test_load_fast_paths import TEXT, _grant_blueprints, _outcome

# Each field a service's serving concepts read: its plain value first, then what is not.
_TIMINGS = [NO_TIMING, ProbeTiming(), ProbeTiming(period_seconds=5)]
# As validation leaves an untimed probe (model_construct would copy the default).
_UNTIMED = {"startup": NO_TIMING, "readiness": NO_TIMING, "liveness": NO_TIMING}
_HEALTH = [
    HealthCheck.model_construct(kind=kind, headers=headers, **{**_UNTIMED, probe: timing})
    for kind in ("http", "grpc", "tcp", "exec")
    for headers in ({}, {"X-A": "b"})
    for probe in ("startup", "readiness", "liveness")
    for timing in _TIMINGS
]
_SERVING_FIELDS: dict[str, list[Any]] = {
    "port": [8080, None, 9000],
    "service_port": [None, 8080, 80],
    "app_protocol": [None, "grpc"],
    "ports": [
        (),
        (NamedPort(name="a", port=9000),),
        (NamedPort(name="a", port=1, app_protocol="http"),),
    ],
    "writable": [(), (WritablePath(path="/a"),)],
    "storage": [None, Storage(path="/b")],
    "scaling": [
        None,
        Scaling(min=1, max=2),
        Scaling(min=1, max=2, memory_target_percent=80),
        Scaling(min=1, max=2, metric=PodsMetric(name="rps", average_value="1")),
    ],
    "health": [None, *_HEALTH],
    "metrics": [None, Metrics()],
    "expose": [Expose(), Expose(type="node-port")],
}


def _services() -> Iterator[Service]:
    """A plain service, and every one that differs from it in one or two fields."""
    plain = {name: values[0] for name, values in _SERVING_FIELDS.items()}
    for first, second in itertools.combinations_with_replacement(_SERVING_FIELDS, 2):
        for a, b in itertools.product(_SERVING_FIELDS[first], _SERVING_FIELDS[second]):
            fields = {**plain, first: a} if first == second else {**plain, first: a, second: b}
            yield Service.model_construct(platform=Platform.KUBERNETES, **fields)


def test_serving_concepts_answer_as_every_question() -> None:
    checked = 0
    for svc in _services():
        assert list(serving_concepts(svc)) == list(each_serving_concept(svc)), svc
        checked += 1
    assert checked > 1000


class _Forgetful(dict[tuple[str, str, Any], "_Verdict | None"]):
    """A verdict memo that keeps nothing: every grant is judged afresh."""

    def __setitem__(self, key: tuple[str, str, Any], value: _Verdict | None) -> None:
        pass


class _WalkedAsBefore(_GrantWalk):
    """The grant walk as it was written before its memo was inlined: each use asks `verdict`,
    then `grant` builds the usage, and nothing is remembered."""

    def __init__(self, bp: Blueprint) -> None:
        super().__init__(bp)
        self.verdicts = _Forgetful()

    def held_by_workloads(self) -> Iterator[Usage]:
        bp = self.bp
        for name, w in self.workloads.items():
            holder_target = w.platform.cloud.value
            principal = self.principal_of.get(name)
            if principal is not None:
                for grant_path, grant in self.principal_grants(principal):
                    usage = self.grant(holder_target, grant_path, grant)
                    if usage is not None:
                        yield usage
                continue
            for i, use in enumerate(w.uses):
                if self.verdict(holder_target, use) is not None:
                    section = "services" if name in bp.services else "jobs"
                    usage = self.grant(holder_target, (section, name, "uses", i), use)
                    if usage is not None:
                        yield usage


def test_the_grant_walk_answers_as_before() -> None:
    for bp in _grant_blueprints():
        assert list(_GrantWalk(bp).run()) == list(_WalkedAsBefore(bp).run())


def test_an_inlined_subject_is_the_grant_subject() -> None:
    held = next(u for u in _GrantWalk(_grant_blueprints()[-1]).run() if u.path[0] == "services")
    assert held.subject == _grant_subject(held.path)


def _sample_blueprints() -> list[Blueprint]:
    return _grant_blueprints() + [
        Blueprint.model_validate(sample(concept.id, target))
        for concept in CONCEPTS
        for target in concept.cells
    ]


def test_usages_answer_as_every_question_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    blueprints = _sample_blueprints()
    fast = [list(usages(bp)) for bp in blueprints]
    monkeypatch.setattr(serving, "serves_plainly", lambda svc: False)
    monkeypatch.setattr(usage, "serves_plainly", lambda svc: False)
    monkeypatch.setattr(usage, "_quiet", lambda w: False)
    assert fast == [list(usages(bp)) for bp in blueprints]


def test_a_usage_holds_what_it_was_given() -> None:
    cell_free = Usage("network", "aws", "networks.main", ("networks", "main"))
    assert (cell_free.at_key, cell_free.cell, cell_free.title) == (True, None, "")
    assert cell_free == Usage("network", "aws", "networks.main", ("networks", "main"))
    assert len({cell_free, Usage("network", "aws", "networks.main", ("networks", "main"))}) == 1


@given(st.sampled_from(["10.0.0.0/16", "10.0.0.1/16", "10.0.0.0/33", "::/0", "fd00::/8", "x", ""]))
def test_a_parsed_cidr_is_what_ipaddress_parses(text: str) -> None:
    def outcome(parse: Any) -> object:
        try:
            return parse(text)
        except ValueError as exc:
            return type(exc), str(exc)

    expected = outcome(lambda t: ipaddress.ip_network(t, strict=True))
    assert outcome(parse_cidr) == expected
    assert outcome(parse_cidr) == expected  # again, from what was kept


@given(TEXT | st.text(max_size=8))
def test_visible_nfc_answers_as_both_checks(value: str) -> None:
    assert _outcome(lambda: visible_nfc(value)) == _outcome(lambda: nfc(visible(value)))


@given(TEXT | st.text(max_size=8))
def test_no_nul_nfc_answers_as_both_checks(value: str) -> None:
    assert _outcome(lambda: no_nul_nfc(value)) == _outcome(lambda: nfc(no_nul(value)))


def _sizes_before(w: Workload) -> Workload:
    """The workload's size validator as it was written before it asked first."""
    w._fargate_task_size()
    w._limits_above_requests()
    return w


@pytest.mark.parametrize("platform", [Platform.AWS_FARGATE, Platform.KUBERNETES])
def test_workload_sizes_answer_as_both_checks(platform: Platform) -> None:
    cpus = [0.25, 0.5, 1, 2, 3, 4, 8, 16, 0.3]
    memories = [512, 1024, 2048, 3072, 4096, 8192, 16384, 30720, 32768, 777]
    limits = [None, Limits(), Limits(cpu=0.1), Limits(memory=256), Limits(cpu=64, memory=131072)]
    for cpu, memory, limit in itertools.product(cpus, memories, limits):
        w = Service.model_construct(platform=platform, cpu=cpu, memory=memory, limits=limit)
        before = functools.partial(_sizes_before, w)
        assert _outcome(cast(Callable[[], object], w._sizes)) == _outcome(before)


_CIDR_TEXTS = (
    ["10.0.0.0/16", "10.0.0.0/20", "10.0.16.0/20", "10.0.15.0/24", "10.1.0.0/16", "10.0.0.0/8"],
    ["10.0.255.255/32", "10.1.0.0/32", "::/0", "fd00::/8", "fd00::/64", "fe80::/10"],
)
CIDRS = st.lists(
    st.sampled_from([text for texts in _CIDR_TEXTS for text in texts]).map(parse_cidr),
    max_size=6,
)


@given(CIDRS)
def test_disjoint_answers_as_every_pair(cidrs: list[IPv4Network | IPv6Network]) -> None:
    # typeshed's overlaps() takes only a network of its own version, which the test makes sure.
    overlapping = any(
        a.version == b.version and a.overlaps(b)  # type: ignore[arg-type]
        for a, b in itertools.combinations(cidrs, 2)
    )
    assert _Checker(Blueprint(name="x")).disjoint(cidrs) == (not overlapping)


def _database_fields_before(res: Resource) -> Resource:
    """The resource's database-field validator as it was written before it asked first."""
    if res.kind is ResourceKind.DATABASE:
        return res
    for field in DATABASE_FIELDS:
        if field in res.model_fields_set:
            raise ValueError(
                f"found {field} on a {res.kind.value}, expected it only on kind database"
            )
    return res


@given(
    st.sampled_from(list(ResourceKind)),
    st.sets(st.sampled_from([*DATABASE_FIELDS, "public", "subnets"])),
)
def test_database_fields_answer_as_before(kind: ResourceKind, declared: set[str]) -> None:
    res = Resource.model_construct(_fields_set={"kind", *declared}, kind=kind)
    validator = cast(Callable[[], object], res._database_fields_on_databases)
    assert _outcome(validator) == _outcome(functools.partial(_database_fields_before, res))
