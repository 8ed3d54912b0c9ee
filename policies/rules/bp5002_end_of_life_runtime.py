"""BP5002: a job on a language runtime past its end of life."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from policies.context import Context
from policies.rules.base import Example, Hit, Rule

# When each runtime stopped receiving security fixes upstream (python.org, nodejs.org,
# dotnet.microsoft.com, the OpenJDK release cadence). Reviewed on AS_OF; a version missing
# here is not reported. The date is fixed so that a check gives the same answer every day.
AS_OF = dt.date(2026, 11, 30)
END_OF_LIFE: dict[str, dict[str, dt.date]] = {
    "python": {
        "2.7": dt.date(2020, 1, 1),
        "3.6": dt.date(2021, 12, 23),
        "3.7": dt.date(2023, 6, 27),
        "3.8": dt.date(2024, 10, 7),
        "3.9": dt.date(2025, 10, 31),
        "3.10": dt.date(2026, 10, 31),
        "3.11": dt.date(2027, 10, 31),
        "3.12": dt.date(2028, 10, 31),
        "3.13": dt.date(2029, 10, 31),
    },
    "node": {
        "12": dt.date(2022, 4, 30),
        "14": dt.date(2023, 4, 30),
        "16": dt.date(2023, 9, 11),
        "18": dt.date(2025, 4, 30),
        "20": dt.date(2026, 4, 30),
        "22": dt.date(2027, 4, 30),
        "24": dt.date(2028, 4, 30),
    },
    "dotnet": {
        "3.1": dt.date(2022, 12, 13),
        "5": dt.date(2022, 5, 10),
        "6": dt.date(2024, 11, 12),
        "7": dt.date(2024, 5, 14),
        "8": dt.date(2026, 11, 10),
        "9": dt.date(2026, 11, 10),
        "10": dt.date(2028, 11, 14),
    },
    # Non-LTS Java releases end when the next one ships; the LTS lines are vendor-supported.
    "java": {
        "9": dt.date(2018, 3, 20),
        "10": dt.date(2018, 9, 25),
        "12": dt.date(2019, 9, 17),
        "13": dt.date(2020, 3, 17),
        "14": dt.date(2020, 9, 15),
        "15": dt.date(2021, 3, 16),
        "16": dt.date(2021, 9, 14),
        "18": dt.date(2022, 9, 20),
        "19": dt.date(2023, 3, 21),
        "20": dt.date(2023, 9, 19),
        "22": dt.date(2024, 9, 17),
        "23": dt.date(2025, 3, 18),
        "24": dt.date(2025, 9, 16),
    },
}


def end_of_life(runtime: str) -> dt.date | None:
    """The date `python|3.7` stopped receiving fixes, if it has by AS_OF."""
    language, _, version = runtime.partition("|")
    table = END_OF_LIFE.get(language, {})
    # python|3.7.9 -> 3.7; node|18.2 -> 18; dotnet|3.1 -> 3.1
    for candidate in (version, ".".join(version.split(".")[:2]), version.split(".")[0]):
        if candidate in table:
            ended = table[candidate]
            return ended if ended <= AS_OF else None
    return None


def check(ctx: Context) -> Iterator[Hit]:
    for name, job in sorted(ctx.bp.jobs.items()):
        if job.runtime is None:
            continue
        ended = end_of_life(job.runtime)
        if ended is None:
            continue
        language, _, version = job.runtime.partition("|")
        yield Hit(
            f"jobs.{name}",
            f"job {name} runs on {language} {version}, which reached end of life on "
            f"{ended.isoformat()}: it gets no security fixes; move to a supported version",
            (f"jobs.{name}",),
            ("jobs", name, "runtime"),
        )


EXAMPLE = Example(
    bad="""\
name: demo
platforms:
  azure: {location: westeurope}
jobs:
  nightly:
    platform: azure-functions
    runtime: python|3.7
    trigger: {schedule: "0 2 * * *"}
""",
    good="""\
name: demo
platforms:
  azure: {location: westeurope}
jobs:
  nightly:
    platform: azure-functions
    runtime: python|3.12
    trigger: {schedule: "0 2 * * *"}
""",
)


RULE = Rule(
    id="BP5002",
    name="end-of-life-runtime",
    title="Runtime past its end of life",
    severity="error",
    rationale=(
        "A runtime past its end of life receives no security fixes, and the platforms "
        "withdraw it (Azure Functions and Lambda stop creating or updating functions on "
        "retired runtimes): the next deploy may fail, and every vulnerability found from now "
        "on stays open."
    ),
    fix="Move the job to a supported runtime version (runtime: python|3.12).",
    check=check,
    example=EXAMPLE,
    controls=("nist-800-53:SA-22", "nist-800-53:SI-2"),
    reads_graph=False,
)
