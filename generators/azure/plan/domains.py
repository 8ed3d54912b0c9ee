"""Custom domains on Container Apps: an http ingress `host` becomes a managed certificate of the
app's environment and a binding on the app (the app routed at `/`: Container Apps has no path
routing), with the records Azure validates it by: written to the Azure DNS zone `tls.zone`
names, and always given as outputs."""

from __future__ import annotations

from blueprint.model import HttpIngress
from generators.azure.naming import local_name, symbol
from generators.azure.plan.data_records import CustomDomain
from generators.azure.plan.state import PlanState


def bound_host(ing: HttpIngress) -> str | None:
    """The app an ingress host is bound to: the one at `/`, else the first route's."""
    if ing.host is None:
        return None
    return ing.routes.get("/", next(iter(ing.routes.values())))


def plan_domains(
    st: PlanState, app: str, app_symbol: str, environment: str
) -> tuple[CustomDomain, ...]:
    domains = []
    for name in st.view.ingress_to(app):
        ing = st.bp.ingress[name]
        if not isinstance(ing, HttpIngress) or ing.host is None or bound_host(ing) != app:
            continue
        host = ing.host
        zone = ing.tls.zone if ing.tls is not None else None
        record = "@" if zone == host else host.removesuffix(f".{zone}") if zone else host
        domains.append(
            CustomDomain(
                app_symbol=app_symbol,
                app_name=app,
                host=host,
                certificate_symbol=symbol("mc", app, name),
                certificate_name=local_name("mc", f"{app}-{name}", 60),
                environment=environment,
                zone=zone,
                record=record,
                dns_symbol=symbol("dns", app, name),
            )
        )
    return tuple(domains)
