"""The command line: `blueprint COMMAND ...`; one module per command, each with add_parser/run."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from blueprint import __version__, exit_codes

# argparse (blueprint.cli.parser), dataclasses (blueprint.errors), typing and traceback are
# imported when needed: a render whose output is up to date answers before any of them
# (`blueprint.cli.render_noop`).

# command -> module; imported lazily so each command pays only for what it uses.
COMMANDS: dict[str, str] = {
    "validate": "blueprint.cli.validate",
    "schema": "blueprint.cli.schema",
    "render": "blueprint.cli.render",
    "check": "blueprint.cli.check",
    "rules": "blueprint.cli.rules",
    "explain": "blueprint.cli.explain",
    "graph": "blueprint.cli.graph",
    "diff": "blueprint.cli.diff",
    "verify": "blueprint.cli.verify",
    "manifests": "blueprint.cli.manifests",
    "init": "blueprint.cli.init",
    "import": "blueprint.cli.import_",
    "completion": "blueprint.cli.completion",
    "report": "blueprint.cli.report",
}

# One-line summaries for the top-level help, without importing every command module.
SUMMARIES: dict[str, str] = {
    "validate": "validate blueprints: schema and cross-references",
    "schema": "print the JSON Schema of blueprint.yaml (for editors)",
    "render": "check, then render the configuration into an output directory",
    "check": "run the policy rules and report findings",
    "rules": "list the policy rules",
    "explain": "explain one policy rule",
    "graph": "export a view of the system graph (mermaid, dot, json, markdown)",
    "diff": "security diff of two blueprints: new exposure, widened grants",
    "verify": "verify an output directory against its manifest (hand edits)",
    "manifests": "print the Kubernetes manifests as one YAML stream (Argo CD plugin)",
    "init": "write a starting blueprint.yaml for a platform",
    "import": "write a blueprint from a docker-compose file or Kubernetes manifests",
    "completion": "print a shell completion script (bash, zsh, fish)",
    "report": "write a self-contained HTML report: views, findings, paths, security diff",
}


DEBUG_ENV = "BLUEPRINT_DEBUG"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Accepted before or after the command, so it can be added to any command line as is.
    debug = "--debug" in args_list or os.environ.get(DEBUG_ENV, "") not in {"", "0"}
    args_list = [a for a in args_list if a != "--debug"]
    command = next((a for a in args_list if not a.startswith("-")), None)
    if command not in COMMANDS:
        command = None
    if command == "render":
        from blueprint.cli.render_noop import up_to_date_render

        answered = up_to_date_render(args_list)
        if answered is not None:
            return answered

    def run_command() -> int:
        from blueprint.cli.parser import build_parser

        parser = build_parser(command)
        args = parser.parse_args(args_list)
        if args.command is None:
            parser.print_help(sys.stderr)
            return exit_codes.BAD_INPUT
        run = importlib.import_module(COMMANDS[args.command]).run
        code: int = run(args)
        return code

    return guarded(run_command, debug)


def guarded(run: Callable[[], int], debug: bool | None = None) -> int:
    """`run()`'s exit code; bad input, interrupts and bugs become messages and exit codes.
    `debug` (None: from BLUEPRINT_DEBUG) prints the traceback of an internal error."""
    from blueprint.errors import BlueprintError

    if debug is None:
        debug = os.environ.get(DEBUG_ENV, "") not in {"", "0"}
    try:
        return run()
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        return int(exc.code) if isinstance(exc.code, int) else exit_codes.BAD_INPUT
    except BlueprintError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return exit_codes.BAD_INPUT
    except KeyboardInterrupt:
        print("blueprint: interrupted", file=sys.stderr)
        return exit_codes.INTERNAL
    except BrokenPipeError:
        # The reader went away (`blueprint graph ... | head`): not a bug. Point stdout at
        # /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exit_codes.FINDINGS
    except Exception as exc:
        report_internal_error(exc, debug)
        return exit_codes.INTERNAL


def report_internal_error(exc: BaseException, debug: bool) -> None:
    """One line naming the error, one saying how to report it; the traceback only on request."""
    if debug:
        import traceback  # only here: its import costs the no-op ~4 ms

        traceback.print_exception(exc, file=sys.stderr)
    summary = " ".join(str(exc).split()) or "(no message)"
    if len(summary) > 300:
        summary = summary[:297] + "..."
    hint = "" if debug else f" (run with --debug or {DEBUG_ENV}=1 for the traceback)"
    print(
        f"blueprint: internal error: {type(exc).__name__}: {summary}\n"
        f"This is a bug in blueprint {__version__}; please report it at "
        f"{exit_codes.REPORT_URL} with the command and the blueprint{hint}.",
        file=sys.stderr,
    )


def entry_point() -> None:
    # A command is one short process that builds large structures with almost no cycles (the
    # model, the system view, the graph) and exits without freeing them (`leave`). The cyclic
    # collector would only re-scan them: once the loader's and the engine's pauses ended, its
    # first collections took 0.15 s of a 5,000-service check and found nothing to free. So it is
    # off for the whole command, and forked pool workers inherit that; a render and a check of
    # a 25-service blueprint leave about 700 cyclic objects behind, nothing to reclaim early.
    gc.disable()
    leave(main())


def leave(code: int) -> None:
    """Exit with `code`, skipping the interpreter's teardown when nothing needs it.

    A check or render of thousands of services leaves hundreds of thousands of objects (the
    model, the system view, the graph) that the teardown collects and frees one by one: 0.4 s
    of CPU after a 5,000-service check. Every command has closed its files and pools when it
    returns, so once the exit handlers have run and stdout and stderr are flushed, there is
    nothing left to do. Other threads still running, or a flush that fails (the reader of a
    pipe went away), take the ordinary exit, which waits for them or reports it as before."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    import atexit

    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
