"""Strings YAML 1.1 or 1.2 would misread, shared by the injection property tests."""

# Valid names (DNS labels) that YAML 1.1 or 1.2 would read as booleans, nulls or numbers.
TRICKY_NAMES = ["yes", "no", "on", "off", "y", "n", "true", "false", "null", "nan", "inf", "e3"]
# Allowed by the revision and path patterns ([A-Za-z0-9_./-]) and misread when unquoted.
TRICKY_REFS = [
    "yes", "No", "ON", "off", "y", "1e3", "0o17", "0x1F", "1_000", "1.5", ".inf",
    "-.inf", ".NaN", "2024-01-01", "NULL", "True", "0", "-1", "07", "1.",
]  # fmt: skip
TRICKY_TEXT = [
    "yes", "no", "on", "1e3", "0o17", "~", "null", " leading", "trailing ", " both ",
    "key: value", "a #comment", "*x", "&x", "!tag", "!!str", "- item", "? q", "| block",
    "> folded", "'quoted'", '"quoted"', "line one\nline two", "trailing newline\n", "\ttab",
    "%YAML 1.2", "---", "...", "@at", "`tick", "{a: 1}", "[1, 2]", "é ü 漢字", "\\ back",
    "${var}", "{{ template }}", "a" * 255,
]  # fmt: skip
