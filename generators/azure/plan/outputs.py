"""Connection wiring: an env value `{resource: R, output: O}` as a Bicep expression on the
resource R became (a property reference, never a copied value)."""

from __future__ import annotations

from blueprint.model import Job, ResourceKind, Service
from generators.azure.naming import local_name, symbol
from generators.azure.plan.constants import DATA_ACCOUNT, relational
from generators.azure.plan.flexible import engine_of
from generators.azure.plan.state import AzurePlanError, PlanState

KAFKA_PORT = 9093


def output_expressions(st: PlanState, name: str, w: Service | Job) -> list[tuple[str, str]]:
    """(env name, Bicep expression) for each env value the workload takes from a resource."""
    return [
        (env, _expression(st, name, out.resource, str(out.output)))
        for env, out in w.env_outputs.items()
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _expression(st: PlanState, workload: str, resource: str, output: str) -> str:
    r = st.resources[resource]
    sym = st.resource_symbols[resource]
    kind = r.kind
    if kind is ResourceKind.DATABASE and relational(r):
        values = {
            "host": f"{sym}.properties.fullyQualifiedDomainName",
            "port": _literal(str(r.db_port)),
            "name": _literal(resource),
            "user": _literal(local_name("id", workload, 128)),
        }
    elif kind is ResourceKind.DATABASE:
        values = {"host": f"{sym}.properties.documentEndpoint", "name": _literal(resource)}
    elif kind is ResourceKind.QUEUE and resource in st.service_bus_entities:
        ns = st.plan.service_bus[0].symbol if st.plan.service_bus else symbol("sb", "messaging")
        values = {
            "name": f"{sym}.name",
            "url": f"'${{{ns}.properties.serviceBusEndpoint}}${{{sym}.name}}'",
        }
    elif kind is ResourceKind.QUEUE:
        data = symbol("st", DATA_ACCOUNT)
        values = {
            "name": f"{sym}.name",
            "url": f"'${{{data}.properties.primaryEndpoints.queue}}${{{sym}.name}}'",
        }
    elif kind is ResourceKind.TOPIC:
        values = {"name": f"{sym}.name"}
    elif kind is ResourceKind.BROKER:
        values = {"bootstrap": f"'${{{sym}.name}}.servicebus.windows.net:{KAFKA_PORT}'"}
    elif kind is ResourceKind.BUCKET:
        values = {"name": f"{sym}.name"}
    elif kind is ResourceKind.SECRET_STORE:
        values = {"name": f"{sym}.name", "url": f"{sym}.properties.vaultUri"}
    else:
        values = {}
    if output not in values:
        what = f"{engine_of(r)} " if relational(r) else ""
        raise AzurePlanError(
            f"workload {workload!r}: output {output!r} of {what}{kind.value} {resource!r} is "
            f"not rendered on Azure; expected one of {', '.join(sorted(values))}"
        )
    return values[output]
