"""HTTPS and names: certificates (ACM), HTTPS listeners with an HTTP redirect, Route 53 records
and API Gateway custom domains."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CertificatePlan:
    key: str
