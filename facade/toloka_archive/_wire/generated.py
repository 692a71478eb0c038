"""The facade's one door to the generated client (``toloka_archive_api``), opened on first use.

Importing ``toloka_archive_api`` costs about as much as the whole hand-written facade: its models
package builds every attrs class at once, and attrs itself is loaded for them. Reached through
this module, the generated package loads when the first client is made (or the first answer is
read), not when ``from toloka_archive import TolokaClient`` runs. So whatever only imports the
facade stays quick: the command's ``--help`` and argument errors, Airflow parsing a DAG file,
a service that imports at start-up and archives later.

How the rest of the facade uses it: ``generated.Operation``,
``generated.archive_pool._get_kwargs(...)``, after ``from toloka_archive._wire import
generated``. The names it serves are listed once, in ``generated.pyi`` beside it (see
``_core.lazy``); the facade's own types (``_core.models``) are what it hands out, so hardly
any annotation needs a generated name.

ruff's TID253 refuses a module-level ``toloka_archive_api`` import anywhere in the facade, and a
test checks that ``from toloka_archive import TolokaClient`` leaves ``toloka_archive_api``
unloaded.
"""

from toloka_archive._core.lazy import attach_stub

__getattr__, __dir__, __all__ = attach_stub(globals())
