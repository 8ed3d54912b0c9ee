"""The vocabulary of the system graph: node and edge kinds.

StrEnums, so a kind compares equal to its string (`NodeKind.SERVICE == "service"`): code that
still spells kinds as strings keeps working while mypy checks the code that uses the enums.
"""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    INTERNET = "internet"  # the one outside world
    NETWORK = "network"
    SUBNET = "subnet"
    GATEWAY = "gateway"  # an internet gateway or a NAT
    INGRESS = "ingress"
    SERVICE = "service"
    JOB = "job"
    RESOURCE = "resource"
    PRINCIPAL = "principal"
    SCOPE = "scope"
    IDENTITY = "identity"  # a workload's identity derived from its uses
    ANY = "any"  # the target of wildcard grants


class EdgeKind(StrEnum):
    ROUTES_TO = "routes-to"  # inbound routing, and the internet reaching an exposure
    EGRESS = "egress"  # outbound routing
    FORWARDS_TO = "forwards-to"  # ingress -> service or ingress (`via`, `port`, `protocol`)
    RUNS_IN = "runs-in"  # placed in a subnet
    PART_OF = "part-of"  # subnet -> network, topic -> broker
    PEERS_WITH = "peers-with"
    CALLS = "calls"  # workload -> service (`latency`, `parallel`, `order`, `port`, `protocol`)
    USES = "uses"
    WRITES = "writes"
    SUBSCRIBES = "subscribes"
    TRIGGERED_BY = "triggered-by"
    BUFFERS_TO = "buffers-to"
    PULLS = "pulls"
    READS_SECRET = "reads-secret"
    RUNS_AS = "runs-as"
    MEMBER_OF = "member-of"
    GRANTED = "granted"
    CAN_ASSUME = "can-assume"
    CAN_PASS = "can-pass"
    HOSTS = "hosts"
    AUTHENTICATES_WITH = "authenticates-with"


WORKLOAD_KINDS = frozenset({NodeKind.SERVICE, NodeKind.JOB})
