"""Each fast path of the load answers exactly as the slow code it stands in for."""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable, Iterable
from ipaddress import IPv4Network, IPv6Network
from typing import Any, cast

import pytest
import yaml
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from benchmarks.check_scaling import synthetic
from blueprint.errors import BlueprintError
from blueprint.loader import (
    _parse,
    has_quoted_scalar_key,
    has_tag_candidate,
    load,
    source_from_bytes,
)
from blueprint.model import (
    KIND_ACCESS,
    UNIVERSAL_ACCESS,
    WORKLOAD_ACCESS,
    Blueprint,
    Cloud,
    Expose,
    HealthCheck,
    LoadBalancer,
    Metrics,
    Platform,
    ResourceKind,
    Service,
)
from blueprint.model.base import nfc
from blueprint.model.health import _KIND_KEYS, _KIND_SPECIFIC, NO_TIMING, ProbeTiming
from blueprint.model.serving import NamedPort, Storage, WritablePath
from blueprint.model.validators import visible, visible_each
from blueprint.model.workloads import Call, Job, Use, serving_contradiction, serving_problem
from blueprint.references import _Checker, check_references
from blueprint.support.matrix import CONCEPTS
from blueprint.support.serving import timing_declared
from blueprint.support.usage import Held, _GrantWalk, _Verdict, ingress_clouds
from tests.blueprint.support_samples import base, sample
from tests.conftest import EXAMPLES, ROOT

# Texts made of what matters to each check: YAML punctuation, whitespace of every kind
# (Unicode spaces included) and letters.
YAMLISH = st.text(
    alphabet=st.sampled_from(list("!![{,}]: -\n\t\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab'\"#&*")),
    max_size=40,
)

# The specification of a tag candidate, as the loader spelled it before.
TAG_CANDIDATE = re.compile(r"(?:^|[\s\[{,])!", re.MULTILINE)


@given(YAMLISH)
def test_tag_candidate_answers_as_the_regex(text: str) -> None:
    assert has_tag_candidate(text) == bool(TAG_CANDIDATE.search(text))


def test_tag_candidate_examples() -> None:
    assert has_tag_candidate("!Ref x")
    assert has_tag_candidate("a: !!python/object x")
    assert has_tag_candidate("a: [x,!t y]")
    assert has_tag_candidate("a:\u3000!t")
    assert not has_tag_candidate("a: b!c")
    assert not has_tag_candidate("a: b")


# The loader's test for a quoted key that reads as a number, boolean or null, as it was
# spelled before (one pattern for both quotes).
QUOTED_SCALAR_KEY = re.compile(
    r"""(['"])([-+]?[0-9][-+0-9_.eExXoObB]*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"""
    r"""|true|false|True|False|TRUE|FALSE|null|Null|NULL|~)\1\s*:"""
)
KEYISH = st.lists(
    st.sampled_from(
        ["'", '"', "8080", "1e3", "-.inf", ".NaN", "true", "Null", "~", "x", ":", " ", "\n"]
    ),
    max_size=12,
).map("".join)


@given(KEYISH)
def test_quoted_scalar_key_answers_as_one_pattern(text: str) -> None:
    assert has_quoted_scalar_key(text) == bool(QUOTED_SCALAR_KEY.search(text))


def test_quoted_scalar_key_examples() -> None:
    assert has_quoted_scalar_key('"8080": a')
    assert has_quoted_scalar_key("x:\n  'true' : 1")
    assert not has_quoted_scalar_key('"8080" x: a')
    assert not has_quoted_scalar_key("'8080\": a")


@given(
    st.builds(
        ProbeTiming,
        period_seconds=st.none() | st.integers(1, 300),
        timeout_seconds=st.none() | st.integers(1, 60),
        failure_threshold=st.none() | st.integers(1, 120),
        initial_delay_seconds=st.none() | st.integers(0, 3600),
    )
)
def test_timing_declared_answers_as_its_dump(timing: ProbeTiming) -> None:
    assert timing_declared(timing) == bool(timing.model_dump(exclude_none=True))


def test_an_untimed_probe_holds_the_shared_default() -> None:
    health = HealthCheck.model_validate({"path": "/healthz", "readiness": {"period_seconds": 5}})
    assert health.startup is NO_TIMING and health.liveness is NO_TIMING
    assert health.readiness is not NO_TIMING
    assert not timing_declared(NO_TIMING) and not NO_TIMING.model_dump(exclude_none=True)


TEXT = st.text(
    alphabet=st.sampled_from(
        list("a/Z9 ~\x00\x1f\x7f\x85\xa0\u00e9\u0301\u200b\u202e\u2028\u3000\U0001f600")
    ),
    max_size=12,
)


def _outcome(check: Callable[[], object]) -> object:
    try:
        return check()
    except ValueError as exc:
        return str(exc)


@given(TEXT | st.text(max_size=12), st.integers(0, 2))
def test_visible_answers_as_each_character(value: str, spaces: int) -> None:
    assert _outcome(lambda: visible(value, spaces_allowed=spaces)) == _outcome(
        lambda: visible_each(value, spaces_allowed=spaces)
    )


@given(TEXT | st.text(max_size=12))
def test_nfc_answers_as_unicodedata(value: str) -> None:
    assert nfc(value) == unicodedata.normalize("NFC", value)


def _kind_keys_before(health: HealthCheck) -> HealthCheck:
    """The health check's kind-key validator as it was written before the defaults were
    cached."""
    declared = {
        key
        for key in _KIND_SPECIFIC
        if getattr(health, key)
        != type(health).model_fields[key].get_default(call_default_factory=True)
    }
    for key in sorted(declared - _KIND_KEYS[health.kind]):
        kinds = " or ".join(k for k, keys in _KIND_KEYS.items() if key in keys)
        raise ValueError(
            f"found {key} on a health check of kind {health.kind}, expected it only with "
            f"kind {kinds}"
        )
    if health.kind == "exec" and not health.command:
        raise ValueError(
            "found a health check of kind exec without command, expected command: "
            "[program, arguments...]"
        )
    return health


@given(
    st.sampled_from(["http", "grpc", "tcp", "exec"]),
    st.fixed_dictionaries(
        {},
        optional={
            "path": st.sampled_from(["/", "/healthz"]),
            "port": st.none() | st.integers(1, 9000),
            "headers": st.sampled_from([{}, {"X-A": "b"}]),
            "service": st.none() | st.just("grpc.health.v1.Health"),
            "command": st.sampled_from([(), ("true",)]),
        },
    ),
)
def test_health_keys_answer_as_before(kind: str, keys: dict[str, Any]) -> None:
    health = HealthCheck.model_construct(**{"kind": kind, **keys})
    validator = cast(Callable[[], HealthCheck], health._keys_of_its_kind)
    assert _outcome(validator) == _outcome(lambda: _kind_keys_before(health))


@given(
    port=st.none() | st.integers(1, 3),
    ports=st.lists(st.builds(NamedPort, name=st.sampled_from(["a", "b"]), port=st.integers(1, 3))),
    writable=st.lists(st.builds(WritablePath, path=st.sampled_from(["/a", "/tmp"]))),
    storage=st.none() | st.builds(Storage, path=st.sampled_from(["/a", "/b"])),
    service_port=st.none() | st.integers(1, 3),
    health=st.none() | st.builds(HealthCheck, kind=st.sampled_from(["http", "tcp"])),
    metrics=st.none() | st.builds(Metrics),
    expose=st.sampled_from([Expose(), Expose(type="node-port")]),
)
def test_serving_problem_answers_as_every_question(**fields: Any) -> None:
    fields["ports"], fields["writable"] = tuple(fields["ports"]), tuple(fields["writable"])
    svc = Service.model_construct(platform=Platform.KUBERNETES, **fields)
    assert serving_problem(svc) == serving_contradiction(svc)


class _JudgedEveryTime(_GrantWalk):
    """The grant walk without its verdict memo: each grant judged afresh, as before."""

    def verdict(self, target: str, grant: Held) -> _Verdict | None:
        self.verdicts.clear()
        return super().verdict(target, grant)


def _with_copies(data: dict[str, Any]) -> dict[str, Any]:
    """The sample with each workload three times, so that the memo answers the copies."""
    data = copy.deepcopy(data)
    for section in ("services", "jobs"):
        entries = data.get(section, {})
        for name in list(entries):
            entries[f"{name}-2"] = entries[f"{name}-3"] = entries[name]
    return data


def _every_grant(target: str) -> dict[str, Any]:
    """`web` uses every kind of resource with every access; `api` holds, through its service
    principal, every access on `web`."""
    data = base(target)
    section = "jobs" if "jobs" in data else "services"
    web = data[section]["web"]
    data["resources"] = {f"r-{kind.value}": {"kind": kind.value} for kind in ResourceKind}
    web["uses"] = [
        {"resource": f"r-{kind.value}", "access": access.value}
        for kind, accesses in KIND_ACCESS.items()
        for access in sorted(accesses | UNIVERSAL_ACCESS)
    ]
    data[section]["api"] = {**web, "uses": []}
    grants = [{"resource": "web", "access": access.value} for access in sorted(WORKLOAD_ACCESS)]
    data["identity"] = {
        "principals": {"api-id": {"kind": "service", "workload": "api", "grants": grants}}
    }
    return data


def _grant_blueprints() -> list[Blueprint]:
    grant_concepts = {"grant", "people", "cross-cloud-grant", "wildcard-grant", "can-assume"}
    blueprints = [
        Blueprint.model_validate(_with_copies(sample(concept.id, target)))
        for concept in CONCEPTS
        for target in concept.cells
        if concept.id in grant_concepts or concept.id.startswith("resource-")
    ]
    blueprints += [
        Blueprint.model_validate(_with_copies(_every_grant(target)))
        for target in ("aws", "azure", "gcp", "kubernetes", "azure-functions")
    ]
    blueprints += [load(ROOT / "examples" / name / "blueprint.yaml").blueprint for name in EXAMPLES]
    blueprints.append(Blueprint.model_validate(yaml.safe_load(synthetic(200))))
    return blueprints


def test_grant_verdicts_answer_as_judging_each_grant() -> None:
    for bp in _grant_blueprints():
        assert list(_GrantWalk(bp).run()) == list(_JudgedEveryTime(bp).run())


def test_the_load_resumes_the_garbage_collector_whatever_it_answers() -> None:
    import gc

    from blueprint.errors import BlueprintError
    from blueprint.loader import load_source, source_from_bytes

    assert gc.isenabled()
    load_source(source_from_bytes(b"name: shop\n", "ok.yaml"))
    assert gc.isenabled()
    with pytest.raises(BlueprintError):
        load_source(source_from_bytes(b"name: Shop\n", "bad.yaml"))
    assert gc.isenabled()


class _EveryCheckRuns(_Checker):
    """The cross-reference checker without its fast answers: every check runs in full."""

    def workload_fine(self, name: str, w: Service | Job) -> bool:
        return False

    def names_unique(self) -> bool:
        return False

    def disjoint(self, cidrs: Iterable[IPv4Network | IPv6Network]) -> bool:
        return False

    def platform_fine(self, name: str, platform: Platform) -> bool:
        return False

    def registry_fine(self, registry: str) -> bool:
        return False

    def use_fine(self, use: Use) -> bool:
        return False

    def call_fine(self, caller: str, call: Call) -> bool:
        return False

    def placed(self, subnets: tuple[str, ...], cloud: Cloud | None) -> bool:
        return False


def _same_problems(data: dict[str, Any]) -> None:
    try:
        bp = Blueprint.model_validate(data)
    except ValidationError:
        return  # the schema's problems: no cross-reference check runs
    assert check_references(bp) == _EveryCheckRuns(bp).run()


def test_references_answer_as_every_check_on_the_corpus() -> None:
    corpus = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))
    corpus += [ROOT / "examples" / name / "blueprint.yaml" for name in EXAMPLES]
    for path in corpus:
        try:  # read as the loader reads
            data = _parse(source_from_bytes(path.read_bytes(), path.name))
        except BlueprintError:
            continue  # what the reader refuses before any check
        _same_problems(cast(dict[str, Any], data))


# Ways to break what a workload names, each applied to one workload of a small system.
def _break(data: dict[str, Any], how: str, index: int) -> None:
    names = sorted(data["services"])
    svc = data["services"][names[index % len(names)]]
    if how == "unknown-resource":
        svc["uses"][0]["resource"] = "nowhere"
    elif how == "wrong-access":
        svc["uses"][1]["access"] = "push"
    elif how == "self-call":
        svc.setdefault("calls", []).append({"service": names[index % len(names)]})
    elif how == "unknown-callee":
        svc.setdefault("calls", []).append({"service": "nobody"})
    elif how == "port-name":
        svc.setdefault("calls", []).append({"service": names[0], "port": "admin"})
    elif how == "portless-callee":
        data["services"][names[0]]["port"] = None
        data["services"][names[0]].pop("health", None)
        data["services"][names[0]].pop("metrics", None)
    elif how == "unknown-subnet":
        svc["subnets"] = ["priv1-0", "nowhere"]
    elif how == "two-networks":
        svc["subnets"] = ["priv1-0", "priv1-1"]
    elif how == "other-cloud":
        data["networks"]["net0"]["cloud"] = "gcp"
    elif how == "no-settings":
        data["platforms"].pop("aws", None)
    elif how == "long-name":
        data["services"]["a" * 40] = data["services"].pop(names[index % len(names)])
    elif how == "registry-kind":
        svc["image"]["registry"] = "files0"
    elif how == "unknown-registry":
        svc["image"]["registry"] = "nowhere"
    else:
        _break_more(data, how, svc)


def _break_more(data: dict[str, Any], how: str, svc: dict[str, Any]) -> None:
    """Breaks that only the whole-workload question (`workload_fine`) could miss."""
    svc.setdefault("env", {})
    if how == "output-unused":
        svc["env"]["DB_URL"] = {"resource": "q0", "output": "url"}
    elif how == "output-unknown":
        svc["env"]["DB_URL"] = {"resource": "nowhere", "output": "url"}
    elif how == "output-wrong":
        svc["env"]["DB_URL"] = {"resource": svc["uses"][0]["resource"], "output": "bootstrap"}
    elif how == "secret-twice":
        svc["secrets"] = {"LOG_LEVEL": {"store": "files0", "key": "k"}}
    elif how == "cloud-run-env":
        data["platforms"]["gcp"] = {"project": "p-1234", "region": "europe-west1"}
        svc.update(platform="cloud-run", subnets=[])
        svc["env"]["PORT"] = "1"
    elif how == "overlap":
        data["networks"]["net0"]["subnets"]["priv1-0"]["cidr"] = "10.0.0.0/20"
    elif how == "overlap-wide":
        data["networks"]["net1"]["subnets"]["priv0-1"]["cidr"] = "10.1.0.0/18"
    elif how == "same-name":
        data["resources"][sorted(data["services"])[0]] = {"kind": "bucket"}
    elif how == "same-subnet":
        data["networks"]["net1"]["subnets"]["priv1-0"] = {"cidr": "10.1.240.0/24"}
    elif how == "probe-period":
        data["platforms"]["azure"] = {"location": "westeurope"}
        svc.update(platform="azure-container-apps", subnets=[])
        svc["health"] = {**svc.get("health", {}), "interval_seconds": 300}


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "unknown-resource",
                    "wrong-access",
                    "self-call",
                    "unknown-callee",
                    "port-name",
                    "portless-callee",
                    "unknown-subnet",
                    "two-networks",
                    "other-cloud",
                    "no-settings",
                    "long-name",
                    "registry-kind",
                    "unknown-registry",
                    "output-unused",
                    "output-unknown",
                    "output-wrong",
                    "secret-twice",
                    "cloud-run-env",
                    "probe-period",
                    "overlap",
                    "overlap-wide",
                    "same-name",
                    "same-subnet",
                ]
            ),
            st.integers(0, 200),
        ),
        max_size=4,
    )
)
def test_references_answer_as_every_check_on_broken_systems(
    breaks: list[tuple[str, int]],
) -> None:
    data = copy.deepcopy(SMALL_SYSTEM)
    for how, index in breaks:
        _break(data, how, index)
    _same_problems(data)


def _small_system() -> dict[str, Any]:
    """The synthetic system of 200 services (two networks, twenty teams) with three services
    of each team: every kind of reference, checked quickly."""
    data: dict[str, Any] = yaml_rs.loads(synthetic(200))
    kept = {name for name in data["services"] if int(name[1:]) % 10 < 3}
    data["services"] = {name: svc for name, svc in data["services"].items() if name in kept}
    for svc in data["services"].values():
        svc["calls"] = [call for call in svc.get("calls", []) if call["service"] in kept]
    principals = data["identity"]["principals"]
    for name in [n for n, p in principals.items() if p.get("workload", "s0") not in kept]:
        del principals[name]
    return data


SMALL_SYSTEM = _small_system()


def _ingress_clouds_before(bp: Blueprint, name: str) -> set[Cloud]:
    """`ingress_clouds` as it was written before its answers were kept per blueprint."""
    clouds: set[Cloud] = set()
    seen: set[str] = set()
    frontier = [name]
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        ing = bp.ingress.get(current)
        if ing is None:
            continue
        if isinstance(ing, LoadBalancer):
            for subnet in ing.subnets:
                network = bp.subnet_network(subnet)
                cloud = bp.network_cloud(network) if network else None
                if cloud is not None and cloud is not Cloud.KUBERNETES:
                    clouds.add(cloud)
        targets = ing.forwards.values() if isinstance(ing, LoadBalancer) else ing.routes.values()
        for target in targets:
            svc = bp.services.get(target)
            if svc is not None:
                clouds.add(svc.platform.cloud)
            else:
                frontier.append(target)
    return clouds


def test_ingress_clouds_answer_as_the_walk_for_each_blueprint() -> None:
    blueprints = _grant_blueprints()
    blueprints += [
        Blueprint.model_validate(sample(concept.id, target))
        for concept in CONCEPTS
        for target in concept.cells
        if concept.id.startswith(("ingress", "api-"))
    ]
    for _ in range(2):  # each blueprint after another one: nothing kept from the last
        for bp in blueprints:
            for name in [*bp.ingress, "nowhere"]:
                assert ingress_clouds(bp, name) == _ingress_clouds_before(bp, name)
