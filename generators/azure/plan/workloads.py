"""Workloads: Container Apps environments and apps (ingress, scaling, probes, secrets)."""

from __future__ import annotations

from blueprint.model import Job, Platform, ResourceKind, Service
from generators.azure.naming import local_name, secret_name, symbol
from generators.azure.plan.constants import CONTAINER_APPS_MAX_PROBE_SECONDS
from generators.azure.plan.domains import plan_domains
from generators.azure.plan.identity import grants, new_identity, pull_image
from generators.azure.plan.network import ip_allow, subnet_symbol
from generators.azure.plan.outputs import output_expressions
from generators.azure.plan.records import (
    ContainerApp,
    ContainerEnvironment,
    EnvVar,
    SecretReference,
)
from generators.azure.plan.state import AzurePlanError, PlanState


def secrets_of(st: PlanState, w: Service | Job) -> tuple[list[SecretReference], list[EnvVar]]:
    refs: list[SecretReference] = []
    env: list[EnvVar] = []
    taken: set[str] = set()
    for env_name, ref in w.secrets.items():
        store = st.resources.get(ref.store)
        if store is None or store.kind is not ResourceKind.SECRET_STORE:
            raise AzurePlanError(
                f"secret {env_name!r} is read from {ref.store!r}, which is not an Azure "
                "Key Vault in this blueprint"
            )
        base = secret_name(env_name)
        secret = base
        n = 2
        while secret in taken:
            secret = f"{base}-{n}"
            n += 1
        taken.add(secret)
        refs.append(SecretReference(secret, env_name, st.resource_symbols[ref.store], ref.key))
        env.append(EnvVar(env_name, secret=secret))
    return refs, env


def container_env(
    st: PlanState, name: str, w: Service | Job
) -> tuple[list[SecretReference], list[EnvVar]]:
    """A container's secrets and environment: literals, Key Vault secrets, resource outputs and
    the client id of its identity."""
    refs, secret_env = secrets_of(st, w)
    env = [EnvVar(k, value=v) for k, v in w.plain_env.items()] + secret_env
    env += [EnvVar(k, expression=e) for k, e in output_expressions(st, name, w)]
    if "AZURE_CLIENT_ID" not in w.env and "AZURE_CLIENT_ID" not in w.secrets:
        env.append(EnvVar("AZURE_CLIENT_ID"))  # the identity DefaultAzureCredential uses
    return refs, env


def _environments(st: PlanState) -> dict[str, ContainerEnvironment]:
    """One environment per infrastructure subnet, shared by the apps and jobs placed in it."""
    by_subnet: dict[str | None, list[str]] = {}
    for name, w in st.workloads.items():
        if w.platform is Platform.AZURE_CONTAINER_APPS:
            by_subnet.setdefault(w.subnets[0] if w.subnets else None, []).append(name)
    envs: dict[str, ContainerEnvironment] = {}
    for subnet, names in by_subnet.items():
        label = subnet or st.bp.name
        env = ContainerEnvironment(
            symbol=symbol("cae", label),
            name=local_name("cae", label, 60),
            subnet_symbol=subnet_symbol(st, subnet) if subnet else None,
            internal=subnet is not None and not any(st.view.is_public(n) for n in names),
            diagnostics_symbol=symbol("cae", label, "diagnostics"),
        )
        st.plan.environments.append(env)
        for n in names:
            envs[n] = env
    return envs


def _external(st: PlanState, name: str, envs: dict[str, ContainerEnvironment]) -> bool:
    """Public apps take external ingress; so does an app of a VNet-internal environment that a
    workload outside its environment calls (external there means reachable from the VNet,
    where internal ingress admits only the environment's own apps)."""
    if st.view.is_public(name):
        return True
    env = envs[name]
    return env.internal and any(envs.get(c) is not env for c in st.view.callers_of(name))


def plan_container_apps(st: PlanState) -> None:
    envs = _environments(st)
    st.environment_of = {n: e.symbol for n, e in envs.items()}
    for name, w in st.workloads.items():
        if w.platform is not Platform.AZURE_CONTAINER_APPS or not isinstance(w, Service):
            continue
        identity = new_identity(st, name, w.description)
        image = pull_image(st, name, w, identity)
        grants(st, name, identity)
        refs, env = container_env(st, name, w)
        scaling = w.scaling
        probe = w.health
        st.plan.container_apps.append(
            ContainerApp(
                symbol=symbol("ca", name),
                name=name,
                workload=name,
                description=w.description,
                identity=identity,
                environment=envs[name].symbol,
                image=image,
                cpu=f"{w.cpu:g}",
                memory=f"{w.memory / 1024:g}Gi",
                port=w.port,
                external=_external(st, name, envs),
                ip_allow=ip_allow(st, name) if st.view.is_public(name) else (),
                min_replicas=scaling.min if scaling else w.replicas,
                max_replicas=scaling.max if scaling else max(w.replicas, 1),
                concurrency=w.concurrency,
                cpu_target_percent=scaling.cpu_target_percent if scaling else None,
                health_path=probe.path if probe else None,
                health_port=st.view.health_port(name) or w.port,
                probe_period=min(
                    probe.interval_seconds if probe else 30, CONTAINER_APPS_MAX_PROBE_SECONDS
                ),
                probe_timeout=min(
                    probe.timeout_seconds if probe else 5, CONTAINER_APPS_MAX_PROBE_SECONDS
                ),
                env=tuple(env),
                secrets=tuple(refs),
                depends_on=tuple(st.deps.get(name, ())),
                domains=plan_domains(st, name, symbol("ca", name), envs[name].symbol),
            )
        )
