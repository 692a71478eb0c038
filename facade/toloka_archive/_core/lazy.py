"""Names a module serves before their home module is loaded (PEP 562).

The package serves its public names this way, so ``import toloka_archive`` loads none of the
clients; ``_generated`` serves the generated client's names, so importing the clients does not
load it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping

Homes = Mapping[str, tuple[str, str | None]]
"""Where each lazy name lives: (module, attribute), or (module, None) for a module itself."""


def lazy_getattr(namespace: MutableMapping[str, object], homes: Homes) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports a name's home on first use, then keeps the name in
    ``namespace`` (the module's globals), so later look-ups never come back here."""
    module_name = namespace["__name__"]

    def load(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        source, attribute = home
        module = importlib.import_module(source)
        value = module if attribute is None else getattr(module, attribute)
        namespace[name] = value
        return value

    return load
