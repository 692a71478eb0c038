"""Extra links of ``TolokaArchivePoolsOperator``: the project's and the pool's pages in Toloka.

The pages are those of Toloka's web interface for the connection's environment:
``https://platform.toloka.ai`` for production and ``https://platform.sandbox.toloka.ai`` for
the sandbox, ``/requester/project/{project}`` and ``/requester/project/{project}/pool/{pool}``
under it. A connection with a custom base URL (a proxy, the fake Toloka) has no web interface
we know of, so it gets no link; neither does a pool whose project the task does not know.

Airflow 3 asks for a link in the worker, when the task ends or defers, and keeps the answer in
XCom for the UI. The task works the pages out while it starts the archives (``pages_for``); a
task resumed after its deferral runs in a new process that never started anything, so there the
link is the one kept when the task deferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperatorLink

from toloka_archive._core.environment import Environment

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance

WEB_ROOTS = {
    Environment.PRODUCTION: "https://platform.toloka.ai",
    Environment.SANDBOX: "https://platform.sandbox.toloka.ai",
}
PAGES_ATTRIBUTE = "_toloka_pages"  # where the operator keeps the pages it worked out

PROJECT = "project"
POOL = "pool"


def project_page(environment: Environment | None, project_id: str) -> str | None:
    root = WEB_ROOTS.get(environment) if environment is not None else None
    return None if root is None else f"{root}/requester/project/{project_id}"


def pool_page(environment: Environment | None, project_id: str, pool_id: str) -> str | None:
    project = project_page(environment, project_id)
    return None if project is None else f"{project}/pool/{pool_id}"


def pages_for(
    environment: Environment | None,
    *,
    project_id: str | None,
    pool_projects: Mapping[str, str | None],
) -> dict[str, str | None]:
    """The task's pages: its project's, and its pool's when it handled exactly one.

    ``project_id``: the project the task was asked about, else the one project of every pool it
    handled, when they have one. ``pool_projects``: each pool handled, with its project when
    known (pools chosen by project come with it; pools given by id do not).
    """
    projects = set(pool_projects.values())
    if project_id is None and len(projects) == 1:
        project_id = next(iter(projects))
    pages: dict[str, str | None] = {
        PROJECT: None if project_id is None else project_page(environment, project_id),
        POOL: None,
    }
    if len(pool_projects) == 1:
        [(pool_id, pool_project)] = pool_projects.items()
        if pool_project is not None:
            pages[POOL] = pool_page(environment, pool_project, pool_id)
    return pages


class _TolokaPageLink(BaseOperatorLink):
    kind: str

    def get_link(self, operator: BaseOperator, *, ti_key: Any) -> str:
        pages: Mapping[str, str | None] | None = getattr(operator, PAGES_ATTRIBUTE, None)
        if pages is not None:
            return pages.get(self.kind) or ""
        return _kept(ti_key, self.xcom_key)


def _kept(ti: RuntimeTaskInstance | Any, key: str) -> str:
    """The link this task kept when it deferred (Airflow keeps XComs across a deferral)."""
    pull = getattr(ti, "xcom_pull", None)
    if pull is None:
        return ""
    value = pull(task_ids=ti.task_id, key=key)
    return value if isinstance(value, str) else ""


class TolokaProjectLink(_TolokaPageLink):
    """The page of the task's project in Toloka's web interface."""

    name = "Toloka project"
    kind = PROJECT


class TolokaPoolLink(_TolokaPageLink):
    """The page of the task's pool in Toloka's web interface, when it handled exactly one."""

    name = "Toloka pool"
    kind = POOL
