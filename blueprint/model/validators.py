"""Values the platforms read by rules of their own, checked before anything reaches them.

Each validator takes the value pydantic already typed, returns it unchanged, or raises
ValueError with a `found ..., expected ...` message (schema_messages prints it positioned).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, Field

from blueprint.model.base import nfc

# -- visible text ---------------------------------------------------------------------------

# Control, format (bidi overrides, zero-width characters), surrogate and separator characters:
# invisible or reinterpreted in a path, a URL or a terminal. (Unassigned code points are not
# refused: which ones are unassigned changes with the Unicode version of the interpreter.)
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


def _describe_char(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def visible(value: str, *, spaces_allowed: int = 0) -> str:
    """Refuse characters that are invisible or reinterpreted (NUL, bidi overrides, zero-width
    spaces, line separators, spaces): what a reviewer reads must be what the platform gets."""
    # Printable ASCII without a space has no invisible character (the only invisible ASCII
    # characters are the controls and the space): the common case, checked without the loop.
    if value.isascii() and value.isprintable() and " " not in value:
        return value
    return visible_each(value, spaces_allowed=spaces_allowed)


def visible_each(value: str, *, spaces_allowed: int = 0) -> str:
    """`visible`, one character at a time."""
    for index, ch in enumerate(value):
        if ch == " " and spaces_allowed > 0:
            spaces_allowed -= 1
            continue
        if unicodedata.category(ch) in _INVISIBLE:
            raise ValueError(
                f"found {_describe_char(ch)} at character {index + 1}, expected visible "
                "characters only (no spaces, control, bidi or zero-width characters)"
            )
    return value


def visible_route(value: str) -> str:
    """A route 'METHOD /path': visible characters, one space after the method."""
    return visible(value, spaces_allowed=1)


def no_nul(value: str) -> str:
    """Env values reach a process through C strings, which end at the first NUL."""
    index = value.find("\x00")
    if index >= 0:
        raise ValueError(
            f"found a NUL character at character {index + 1}, expected text without NUL "
            "(a process environment cannot hold one)"
        )
    return value


def visible_nfc(value: str) -> str:
    """`visible`, then `nfc`: one call per value instead of three (10,000 paths at 5,000
    services). Printable ASCII without a space is visible, and ASCII is NFC."""
    if value.isascii() and value.isprintable() and " " not in value:
        return value
    return nfc(visible_each(value))


def no_nul_nfc(value: str) -> str:
    """`no_nul`, then `nfc`. ASCII without NUL passes both."""
    if value.isascii() and "\x00" not in value:
        return value
    return nfc(no_nul(value))


HttpPath = Annotated[
    str, Field(pattern=r"^/\S*$", max_length=1024), AfterValidator(visible_nfc)
]  # an HTTP path: health checks, metrics, ingress routes
EnvValue = Annotated[str, Field(max_length=4096), AfterValidator(no_nul_nfc)]


# -- relative paths -------------------------------------------------------------------------


def relative_path(value: str) -> str:
    """A path inside the repository: no `.` or `..` segment, not absolute, no backslash (the
    pattern of the field refuses the last two already; this names the segment)."""
    return _no_dot_segments(value, "a relative path inside the repository such as out/shop")


def _no_dot_segments(value: str, expected: str) -> str:
    for segment in value.split("/"):
        if segment in {".", ".."}:
            raise ValueError(
                f"found {value!r}, which has a {segment!r} segment; expected {expected} "
                "(no '.' or '..' segments)"
            )
    return value


_FILE_NAME = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


def relative_file(suffix: str, *, folders: bool = True) -> Callable[[str], str]:
    """A file inside a generated folder, ending in `suffix`: the same segments rule as
    relative_path, and a message that names what is wrong with the name. Without `folders`,
    a file directly in that folder (Terraform reads no subfolder of a module)."""
    expected = f"a relative file name ending in {suffix} such as extra{suffix}"
    characters = "letters, digits, '_', '.', '-' and '/'"
    if not folders:
        expected = f"a file name ending in {suffix} such as extra{suffix}, in no subfolder"
        characters = "letters, digits, '_', '.' and '-'"

    def check(value: str) -> str:
        _no_dot_segments(value, expected)
        if (
            not _FILE_NAME.match(value)
            or not value.endswith(suffix)
            or len(value) > 255
            or (not folders and "/" in value)
        ):
            raise ValueError(
                f"found {value!r}; expected {expected}, made of {characters} (no absolute "
                "path, no backslash)"
            )
        return value

    return check


# -- CPU ------------------------------------------------------------------------------------


def millicores(value: float) -> float:
    """Platforms count CPU in thousandths (Kubernetes millicores, Fargate CPU units of 1/1024
    rounded): a finer amount would render as 0 or as a different amount."""
    scaled = value * 1000
    if value < 0.001 or abs(scaled - round(scaled)) > 1e-6:
        raise ValueError(
            f"found {value!r} vCPU, expected at least 0.001 in steps of 0.001 (one millicore)"
        )
    return value


Cpu = Annotated[float, Field(gt=0, le=64), AfterValidator(millicores)]

# Fargate's task sizes: vCPU -> the memory sizes in MiB it accepts (AWS ECS developer guide,
# "Task CPU and memory"); any other pair is refused by ECS at deploy time.
FARGATE_SIZES: dict[float, tuple[int, ...]] = {
    0.25: (512, 1024, 2048),
    0.5: tuple(range(1024, 4097, 1024)),
    1: tuple(range(2048, 8193, 1024)),
    2: tuple(range(4096, 16385, 1024)),
    4: tuple(range(8192, 30721, 1024)),
    8: tuple(range(16384, 61441, 4096)),
    16: tuple(range(32768, 122881, 8192)),
}


def fargate_size_problem(cpu: float, memory: int) -> str | None:
    sizes = FARGATE_SIZES.get(cpu)
    if sizes is not None and memory in sizes:
        return None
    if sizes is None:
        return (
            f"found cpu {cpu:g} on aws-fargate, expected one of Fargate's task sizes: cpu "
            f"{', '.join(f'{c:g}' for c in FARGATE_SIZES)}"
        )
    step = sizes[1] - sizes[0]
    return (
        f"found cpu {cpu:g} with memory {memory} on aws-fargate, expected memory "
        f"{', '.join(map(str, sizes))} with cpu {cpu:g}"
        if len(sizes) <= 3
        else f"found cpu {cpu:g} with memory {memory} on aws-fargate, expected memory from "
        f"{sizes[0]} to {sizes[-1]} in steps of {step} with cpu {cpu:g}"
    )


# -- network addresses ----------------------------------------------------------------------


def canonical_cidr(value: str, canonical: str) -> str:
    """`10.0.0.0/016` parses, but is written verbatim into security groups and firewall rules
    whose own parsers differ: only the canonical spelling is accepted."""
    if value != canonical:
        raise ValueError(f"found {value!r}, expected the canonical spelling {canonical!r}")
    return value


# -- cron -----------------------------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
# name, lowest, highest, names counted from lowest
_CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_CRON_SHAPE = re.compile(r"[^\s]+(?:[ \t]+[^\s]+){4}")
_CRON_ITEM = re.compile(r"(?:(\*)|([0-9a-z]+)(?:-([0-9a-z]+))?)(?:/([0-9]+))?")
CRON_MAX_LENGTH = 100
_CRON_EXPECTED = "a five-field cron schedule such as '0 3 * * *'"


def cron_schedule(value: str) -> str:
    """Five fields (minute hour day-of-month month day-of-week) on one line, each a list of
    `*`, values or ranges with an optional `/step`, every number within its field's range:
    what the Kubernetes CronJob controller, Container Apps jobs and EventBridge all accept."""
    if len(value) > CRON_MAX_LENGTH:
        raise ValueError(
            f"found a schedule of {len(value)} characters, expected {_CRON_EXPECTED} (at most "
            f"{CRON_MAX_LENGTH} characters)"
        )
    if not _CRON_SHAPE.fullmatch(value):
        raise ValueError(
            f"found {value!r}, expected {_CRON_EXPECTED}: five fields on one line, separated by "
            "spaces"
        )
    for text, (field, low, high, names) in zip(value.split(), _CRON_FIELDS, strict=True):
        reason = _cron_field_problem(text.lower(), field, low, high, names)
        if reason:
            raise ValueError(f"found {value!r}, expected {_CRON_EXPECTED} ({reason})")
    return value


def _cron_field_problem(
    text: str, field: str, low: int, high: int, names: tuple[str, ...]
) -> str | None:
    for item in text.split(","):
        match = _CRON_ITEM.fullmatch(item)
        if match is None:
            return f"the {field} field has {item!r}; expected *, a number, a range a-b or a step /n"
        star, first, last, step = match.groups()
        if step is not None and not 1 <= int(step) <= high:
            return f"the {field} field has the step /{step}; expected a step from 1 to {high}"
        if star:
            continue
        bounds = []
        for part in (first, last):
            if part is None:
                continue
            number = _cron_number(part, low, names)
            if number is None or not low <= number <= high:
                return f"the {field} field has {part!r}; expected {low}-{high}" + (
                    f" or a name such as {names[0]!r}" if names else ""
                )
            bounds.append(number)
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            return f"the {field} field has the range {item!r}, which runs backwards"
    return None


def _cron_number(part: str, low: int, names: tuple[str, ...]) -> int | None:
    if part.isdigit():
        return int(part)
    if part in names:
        return names.index(part) + low
    return None


CronSchedule = Annotated[str, AfterValidator(cron_schedule)]
