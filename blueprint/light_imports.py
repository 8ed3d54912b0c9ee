"""networkx as a graph container only, without importing its hundreds of algorithm modules.

`import networkx` runs a package `__init__` that imports every algorithm, generator, reader and
drawing module: about 0.3 s, more than a whole `blueprint check` of a small system spends on
its rules. The checks only need `MultiDiGraph`. `networkx()` registers a `networkx` package
holding what `networkx.classes` needs (exceptions, utils, the dispatch decorator and config),
then imports `networkx.classes`. The first access to any other attribute (`nx.shortest_path`)
runs the real `__init__` in the same module object, so every caller still sees all of networkx
and the classes stay the same objects.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any


def networkx() -> None:
    """Make `import networkx` cheap for the rest of this process (a no-op once imported)."""
    if "networkx" in sys.modules:
        return
    spec = importlib.util.find_spec("networkx")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not installed as a package: the ordinary import reports it
    package = importlib.util.module_from_spec(spec)
    sys.modules["networkx"] = package
    try:
        _prepare(package)
    except Exception:
        # A networkx whose layout differs from the one this was written against: fall back to
        # the ordinary, complete import.
        for name in [m for m in sys.modules if m == "networkx" or m.startswith("networkx.")]:
            del sys.modules[name]
        return
    # A module object's attributes are untyped for mypy; these are the ones networkx's own
    # __init__ would set, hence the ignores here and in _prepare.
    package.__getattr__ = _completing(package, spec)  # type: ignore[method-assign]


def _prepare(package: ModuleType) -> None:
    """The first lines of networkx/__init__.py, up to and including the graph classes."""
    exception = importlib.import_module("networkx.exception")
    package.__dict__.update({k: v for k, v in vars(exception).items() if not k.startswith("_")})
    utils = importlib.import_module("networkx.utils")
    package.utils = utils  # type: ignore[attr-defined]
    package._dispatchable = utils._dispatchable  # type: ignore[attr-defined]
    package._clear_cache = utils._clear_cache  # type: ignore[attr-defined]
    config = utils.backends._set_configs_from_environment()
    utils.config = utils.configs.config = config  # type: ignore[attr-defined]
    package.config = config  # type: ignore[attr-defined]
    classes = importlib.import_module("networkx.classes")
    package.__dict__.update({k: v for k, v in vars(classes).items() if not k.startswith("_")})


def _completing(package: ModuleType, spec: Any) -> Any:
    def __getattr__(name: str) -> Any:  # noqa: N807 - the module attribute hook
        del package.__getattr__
        spec.loader.exec_module(package)  # the real __init__, into the same module object
        return getattr(package, name)

    return __getattr__
