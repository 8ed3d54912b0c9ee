"""Readers: one per target, each turning rendered files back into the connections they allow.

A reader implements `tests.connectivity.compare.Reader`; `READERS` lists them by target, so a
new target (aws, azure, gcp) adds one module here and one entry below.
"""

from __future__ import annotations

from tests.connectivity.compare import Reader
from tests.connectivity.readers.clouds import (
    AwsCloudFormationReader,
    AwsTerraformReader,
    AzureReader,
    GcpReader,
)
from tests.connectivity.readers.kubernetes import KubernetesReader

READERS: dict[str, Reader] = {
    "kubernetes": KubernetesReader(),
    "aws": AwsTerraformReader(),
    "aws-cloudformation": AwsCloudFormationReader(),
    "gcp": GcpReader(),
    "azure": AzureReader(),
}
