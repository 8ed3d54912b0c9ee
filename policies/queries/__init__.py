"""Questions asked of the system graph, by topic: the rules use them and so can `blueprint diff`.

- `reach`: what the internet reaches, and along which path;
- `privilege`: effective grants, escalation paths, what a workload needs;
- `calls`: call cycles and critical latency paths;
- `blast`: which workloads stop when a datastore or broker fails.

Every function takes the `SystemGraph` from `policies.graph.build_graph` and runs in time
linear in its size (or linear per principal that holds control access, for escalation), never
pair-wise.
"""

from policies.queries.blast import DEPENDENCY_EDGES, blast_radius, direct_dependents
from policies.queries.calls import (
    CHAIN_LIMIT,
    TERMS_LIMIT,
    Latency,
    call_adjacency,
    call_components,
    call_cycles,
    call_edges,
    chain_nodes,
    chain_terms,
    chain_text,
    critical_paths,
    strongly_connected,
)
from policies.queries.privilege import (
    ACCESS,
    REQUIRING_EDGES,
    EffectiveGrant,
    Escalation,
    Requirement,
    effective_grants,
    escalation_paths,
    granted,
    is_job,
    justified_access,
    privileges,
    required_access,
    runtime_identity,
)
from policies.queries.reach import Exposure, internet_exposure, subnet_members

__all__ = [
    "ACCESS",
    "CHAIN_LIMIT",
    "DEPENDENCY_EDGES",
    "REQUIRING_EDGES",
    "TERMS_LIMIT",
    "EffectiveGrant",
    "Escalation",
    "Exposure",
    "Latency",
    "Requirement",
    "blast_radius",
    "call_adjacency",
    "call_components",
    "call_cycles",
    "call_edges",
    "chain_nodes",
    "chain_terms",
    "chain_text",
    "critical_paths",
    "direct_dependents",
    "effective_grants",
    "escalation_paths",
    "granted",
    "internet_exposure",
    "is_job",
    "justified_access",
    "privileges",
    "required_access",
    "runtime_identity",
    "strongly_connected",
    "subnet_members",
]
