"""BP5001: a part of the blueprint that is accepted but not (entirely) rendered."""

from __future__ import annotations

from collections.abc import Iterator

from blueprint.support.refusals import notes
from policies.context import Context
from policies.rules.base import Hit, Rule


def check(ctx: Context) -> Iterator[Hit]:
    # The support matrix decides what is noted (docs/support.md); this rule only reports it,
    # so that a render never leaves part of the input out without a word.
    for note in notes(ctx.bp):
        yield Hit(note.subject, note.message, (), note.path)


RULE = Rule(
    id="BP5001",
    name="not-rendered",
    title="Accepted but not entirely rendered",
    severity="note",
    rationale=(
        "What the blueprint declares and no generator turns into configuration is a promise "
        "nobody keeps: the system deployed differs from the system reviewed."
    ),
    fix=(
        "Read the note and docs/support.md: configure the missing part outside blueprint, or "
        "remove it from the blueprint."
    ),
    check=check,
)
