"""toloka-archive: archive Toloka pools from Python, safely, one at a time or in bulk.

Quick start::

    from toloka_archive import TolokaClient

    with TolokaClient(environment="sandbox") as client:   # key from TOLOKA_API_KEY
        result = client.archive_pool("32267581")
        print(result.already_archived, result.operation)

The low-level client generated from ``openapi.yaml`` is the ``toloka_archive_api`` package,
reachable from any client as ``client.raw``, and every object the facade hands out keeps the
generated model it was read from as ``.raw``. The fake Toloka for tests is
``toloka_archive.testing``.

The public names are listed once, in ``__init__.pyi``, and loaded on first use (PEP 562), so
``import toloka_archive`` and the command line tool's ``--help`` stay fast; ``from
toloka_archive import TolokaClient`` loads what it needs.
"""

from toloka_archive._core.lazy import attach_stub
from toloka_archive._version import __version__ as __version__

__getattr__, __dir__, __all__ = attach_stub(globals())
