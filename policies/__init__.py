"""The policy engine: one graph of the system, rules that prove properties on it, reporters."""
