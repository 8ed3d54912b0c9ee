"""One rule per module; `policies.registry` lists them explicitly."""
