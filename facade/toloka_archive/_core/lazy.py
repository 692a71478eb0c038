"""Names a module serves before their home module is loaded (PEP 562), listed once, in its stub.

The package serves its public names this way, so ``import toloka_archive`` loads none of the
clients; ``_wire.generated`` serves the generated client's names, so importing the clients
does not load it. Each such module has a stub beside it (``__init__.pyi``, ``generated.pyi``)
whose re-exports (``from toloka_archive._clients.sync_client import TolokaClient as
TolokaClient``) are the one list of its names: type checkers, editors and documentation tools
read the stub, and ``attach_stub`` reads the same lines to know where each name lives. (The
scientific Python ecosystem's ``lazy_loader.attach_stub`` works the same way.)

A stub line is read without ``ast``, to keep importing the package cheap, so each re-export
stands on a line of its own; a test checks that this reading agrees with Python's.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, MutableMapping

Homes = dict[str, tuple[str, str]]
"""Where each lazy name lives: (module, attribute); an attribute may be a submodule."""


def stub_homes(stub_text: str) -> Homes:
    """The ``from MODULE import NAME as NAME`` lines of a stub, as ``{NAME: (MODULE, NAME)}``."""
    homes: Homes = {}
    for line in stub_text.splitlines():
        words = line.split()
        if len(words) == 6 and words[0] == "from" and words[2] == "import" and words[4] == "as":
            module, name, alias = words[1], words[3], words[5]
            if name == alias and not module.startswith("__"):
                homes[name] = (module, name)
    return homes


def attach_stub(
    namespace: MutableMapping[str, object],
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for the module whose globals are
    ``namespace``, serving the names its stub re-exports.

    A name is imported from its home on first use, then kept in the module's globals, so later
    look-ups never come back here.
    """
    module_name = namespace["__name__"]
    path = str(namespace["__file__"])
    with open(os.path.splitext(path)[0] + ".pyi", encoding="utf-8") as stub:
        homes = stub_homes(stub.read())
    public = [name for name in homes if not name.startswith("_") or name == "__version__"]

    def load(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        source, attribute = home
        module = importlib.import_module(source)
        try:
            value = getattr(module, attribute)
        except AttributeError:  # a submodule its package does not import by itself
            value = importlib.import_module(f"{source}.{attribute}")
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted(set(namespace) | set(public))

    return load, listing, public
