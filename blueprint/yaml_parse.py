"""The one way a blueprint's YAML text becomes data: yaml-rs, YAML 1.2, bounded aliases.

Kept apart from the loader so that `blueprint.early_parse` can call it before the model (and
pydantic) is imported."""

from __future__ import annotations

import yaml_rs

# Larger files are refused before they are parsed.
MAX_BYTES = 16 * 1024 * 1024
# A plain scalar that YAML 1.2 may read as a number (decimal, hex, octal, float, infinity or
# not-a-number), a boolean or null. Loose: what matches may still be a string (the callers
# then ask the parser); what does not match is a string.
NON_STRING_LOOKS = (
    r"""(?:[-+]?\.?[0-9][-+0-9_.a-fA-FxXoO]*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)"""
    r"""|true|false|True|False|TRUE|FALSE|null|Null|NULL|~)"""
)
# A billion-laughs document replays millions of events; a real blueprint replays none or few.
ALIAS_LIMITS = yaml_rs.AliasLimits(
    max_total_replayed_events=100_000,
    max_replay_stack_depth=16,
    max_alias_expansions_per_anchor=1_000,
)


def parse_yaml(text: str) -> object:
    """The document's data; raises what yaml-rs raises (the loader turns it into messages)."""
    return yaml_rs.loads(text, parse_datetime=False, alias_limits=ALIAS_LIMITS)
