"""The Jinja2 environment for text formats: StrictUndefined and the quoting filters."""

from __future__ import annotations

from pathlib import Path

import jinja2

from generators.common.quoting import bicep_string, hcl_string, json_string


def environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - not HTML: every value goes through a per-language filter
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["hcl"] = hcl_string
    env.filters["bicep"] = bicep_string
    env.filters["json"] = json_string
    return env
