"""Exit codes, in one place."""

OK = 0  # clean
FINDINGS = 1  # findings at or above the failing severity, or --check found stale output
BAD_INPUT = 2  # bad input or usage
INTERNAL = 3  # a bug in blueprint

REPORT_URL = "https://github.com/blueprint-dev/blueprint/issues"
