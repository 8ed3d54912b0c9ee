"""A checkov that imports itself once and forks a fresh child for every scan.

Run by checkov's own interpreter (.venv-checkov, `tests/checkov_support.py` starts it): about
three of checkov's four to five seconds per scan are its import. This process imports
`checkov.main` once, then reads one request per line on stdin (JSON: `argv`, `cwd`, `stdout`,
`stderr`) and, for each, forks a child that runs exactly what the `checkov` program runs with
that argv, its stdout and stderr going to the named files. It answers one line per request:
the child's exit code. A child starts from the state right after the import, never from an
earlier scan's (checkov keeps scan state in module-level runners: its own `-d A -d B` reports
A's resources again for B), so every scan is as independent as a separate `checkov` process.
The project's interpreter never imports this file.
"""

import json
import os
import sys
import warnings
from pathlib import Path

with warnings.catch_warnings():
    warnings.simplefilter("ignore", category=SyntaxWarning)
    from checkov.main import Checkov


def _scan(request: dict) -> int:
    """In the child: the `checkov` program's body, with the request's argv and files."""
    os.chdir(request["cwd"])
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    # The argv as the program sees it (Checkov reads sys.argv too, beside its argument).
    sys.argv = [str(Path(sys.executable).parent / "checkov"), *request["argv"]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=SyntaxWarning)
            code = Checkov(request["argv"]).run()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # reported like an uncaught exception in the program: exit 1
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code or 0


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            os._exit(_scan(request))
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    main()
