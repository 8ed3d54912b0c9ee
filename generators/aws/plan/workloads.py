"""Workloads: Fargate services, their images, secrets and execution roles."""

from __future__ import annotations

from blueprint.model import Cloud, Service
from blueprint.model.workloads import Workload
from generators.aws import actions
from generators.aws.errors import UnsupportedBlueprintError
from generators.aws.naming import cfn_id, physical, tf_label
from generators.aws.plan.identity import grants_policy
from generators.aws.plan.records import (
    Named,
    PolicyDoc,
    Role,
    SecretPlan,
    ServicePlan,
    Statement,
    TargetGroup,
    Variable,
)
from generators.aws.plan.references import attr, get_att
from generators.aws.plan.state import PlanState
from generators.aws.plan.wiring import wire
from generators.aws.values import Value, arn, value


def secret(st: PlanState, store: str, key: str, owner: str) -> SecretPlan:
    if store not in st.bp.resources or st.view.resource_cloud(store) is not Cloud.AWS:
        raise UnsupportedBlueprintError(f"{owner}: secret store {store} is not on AWS")
    if (store, key) not in st.secrets:
        index = len(st.secrets) + 1
        st.secrets[(store, key)] = SecretPlan(
            id=Named(
                tf_label(store, f"secret_{index}"),
                cfn_id(store, "secret", str(index)),
                f"{st.bp.name}/{store}/{key}",
            ),
            store=store,
            key=key,
        )
    return st.secrets[(store, key)]


def plan_services(st: PlanState) -> None:
    tgs_by_service: dict[str, list[TargetGroup]] = {}
    for lb in st.system.load_balancers:
        for tg in lb.target_groups:
            tgs_by_service.setdefault(tg.service, []).append(tg)
    for name, svc in st.aws_services().items():
        st.system.services.append(_plan_service(st, name, svc, tuple(tgs_by_service.get(name, ()))))
    st.system.secrets = sorted(st.secrets.values(), key=lambda s: s.id.tf)


def _sizing(name: str, svc: Service) -> tuple[Variable, Variable, Variable]:
    """The replicas, CPU and memory variables (the deploy-time knobs) of a service."""
    describe = f"{name}: {svc.description}" if svc.description is not None else name
    return (
        Variable(
            tf_label(name, "replicas"),
            cfn_id(name, "replicas"),
            "number",
            svc.replicas,
            f"Desired number of tasks of service {describe}",
        ),
        Variable(
            tf_label(name, "cpu"),
            cfn_id(name, "cpu"),
            "number",
            round(svc.cpu * 1024),
            f"CPU units (1024 = 1 vCPU) of service {name}",
        ),
        Variable(
            tf_label(name, "memory"),
            cfn_id(name, "memory"),
            "number",
            svc.memory,
            f"Memory (MiB) of service {name}",
        ),
    )


def _task_role(st: PlanState, name: str, owner: str) -> Role:
    return Role(
        id=Named(
            tf_label(name, "task"),
            cfn_id(name, "task", "role"),
            physical(st.bp.name, name, "task", limit=64),
        ),
        purpose="task",
        trust_service="ecs-tasks.amazonaws.com",
        policy=grants_policy(st, st.view.workload_grants(name), owner),
    )


def _plan_service(
    st: PlanState, name: str, svc: Service, target_groups: tuple[TargetGroup, ...]
) -> ServicePlan:
    owner = f"services.{name}"
    replicas, cpu, memory = _sizing(name, svc)
    image_value, image_var = image(st, name, svc, owner)
    secrets = tuple(
        (env, secret(st, ref.store, ref.key, owner)) for env, ref in sorted(svc.secrets.items())
    )
    log_group = Named(tf_label(name), cfn_id(name, "logs"), f"/ecs/{st.bp.name}/{name}")
    wiring = wire(st, owner, svc.env_outputs)
    exec_role = execution_role(
        st, name, svc, log_group, [s for _, s in secrets], wiring.secret_arns
    )
    task_role = _task_role(st, name, owner)
    st.system.roles += [exec_role, task_role]
    health = svc.health
    return ServicePlan(
        id=Named(tf_label(name), cfn_id(name, "service"), name),
        key=name,
        description=svc.description,
        port=svc.required_port,
        replicas=replicas,
        cpu=cpu,
        memory=memory,
        image=image_value,
        image_variable=image_var,
        env=tuple(sorted(svc.plain_env.items())),
        secrets=secrets,
        env_refs=wiring.env,
        secret_refs=wiring.secrets,
        health_path=health.path if health else None,
        health_port=st.view.health_port(name) or svc.required_port,
        health_interval=health.interval_seconds if health else 30,
        health_timeout=health.timeout_seconds if health else 5,
        subnets=tuple(st.subnet(s, owner) for s in svc.subnets),
        sg=st.sgs[name],
        cluster=st.system.cluster or Named("main", "Cluster", st.bp.name),
        family=physical(st.bp.name, name, limit=255),
        log_group=log_group,
        execution_role=exec_role,
        task_role=task_role,
        target_groups=target_groups,
        scaling=(svc.scaling.min, svc.scaling.max, svc.scaling.cpu_target_percent)
        if svc.scaling
        else None,
    )


def image(st: PlanState, name: str, svc: Workload, owner: str) -> tuple[Value, Variable | None]:
    img = svc.image
    if img is None:
        raise UnsupportedBlueprintError(f"{owner}: a Fargate service needs an image")
    if img.digest is not None:
        var = Variable(
            tf_label(name, "image_digest"),
            cfn_id(name, "image", "digest"),
            "string",
            img.digest,
            f"Image digest of service {name}",
        )
        sep = "@"
    else:
        assert img.tag is not None  # the model requires a tag or a digest
        var = Variable(
            tf_label(name, "image_tag"),
            cfn_id(name, "image", "tag"),
            "string",
            img.tag,
            f"Image tag of service {name}",
        )
        sep = ":"
    if img.is_external:
        return value(f"{img.registry}/{img.repository}{sep}", var.ref), var
    if img.registry not in st.repos_by_registry:
        raise UnsupportedBlueprintError(f"{owner}: registry {img.registry} is not on AWS")
    repo = st.repository(img.registry, img.repository)
    url = attr(
        "aws_ecr_repository",
        repo.id,
        "repository_url",
        get_att(repo.id, "RepositoryUri"),
        f"123456789012.dkr.ecr.{st.region}.amazonaws.com/{repo.id.name}",
    )
    return value(url, sep, var.ref), var


def execution_role(
    st: PlanState,
    name: str,
    svc: Workload,
    log_group: Named,
    secrets: list[SecretPlan],
    wired_secrets: tuple[Value, ...] = (),
) -> Role:
    statements: list[Statement] = list(_pull_statements(st, svc))
    statements.append(
        Statement(
            "WriteLogs",
            actions.EXECUTION_LOGS.actions,
            (arn("logs", f"log-group:{log_group.name}:log-stream:*"),),
        )
    )
    if secrets:
        statements.append(
            Statement(
                "ReadSecrets",
                actions.EXECUTION_SECRETS.actions,
                tuple(secret_arn(s) for s in secrets),
            )
        )
    if wired_secrets:
        # The RDS-managed secrets of the databases whose credentials its env takes.
        statements.append(
            Statement("ReadDatabaseSecrets", actions.EXECUTION_SECRETS.actions, wired_secrets)
        )
    if secrets or wired_secrets:
        statements.append(
            Statement(
                "DecryptSecrets",
                ("kms:Decrypt",),
                (st.key_arn(),),
            )
        )
    return Role(
        id=Named(
            tf_label(name, "execution"),
            cfn_id(name, "execution", "role"),
            physical(st.bp.name, name, "execution", limit=64),
        ),
        purpose="execution",
        trust_service="ecs-tasks.amazonaws.com",
        policy=PolicyDoc(tuple(statements)),
    )


def _pull_statements(st: PlanState, svc: Workload) -> tuple[Statement, ...]:
    """Pulling the image from its ECR repository (an external image needs nothing)."""
    img = svc.image
    if img is None or img.is_external:
        return ()
    repo = st.repository(img.registry, img.repository)
    repo_arn = value(
        attr(
            "aws_ecr_repository",
            repo.id,
            "arn",
            get_att(repo.id, "Arn"),
            arn("ecr", f"repository/{repo.id.name}").example(),
        )
    )
    pull, token = actions.EXECUTION_PULL
    return (
        Statement("PullImage", pull.actions, (repo_arn,)),
        Statement("RegistryToken", token.actions, ("*",)),
    )


def secret_arn(secret: SecretPlan) -> Value:
    return value(
        attr(
            "aws_secretsmanager_secret",
            secret.id,
            "arn",
            {"Ref": secret.id.cfn},
            arn("secretsmanager", f"secret:{secret.id.name}-AbCdEf").example(),
        )
    )
