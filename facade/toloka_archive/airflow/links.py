"""Extra links of the operators: the project's, the pool's and the training's pages in Toloka.

The pages are those of Toloka's web interface for the connection's environment:
``https://platform.toloka.ai`` for production and ``https://platform.sandbox.toloka.ai`` for
the sandbox, ``/requester/project/{project}``, ``/requester/project/{project}/pool/{pool}`` and
``/requester/project/{project}/training/{training}`` under it. The training's page is the one
Toloka's own Python SDK (toloka-kit's ``TolokaClient.clone_training``) links to, beside the
pool's page of the same form. A connection with a custom base URL (a proxy, the fake Toloka) has
no web interface we know of, so it gets no link; neither does a pool or training whose project
the task does not know.

Airflow 3 asks for a link in the worker, when the task ends or defers, and keeps the answer in
XCom for the UI. The task works the pages out while it starts the archives (``pages_for``); a
task resumed after its deferral runs in a new process that never started anything, so there the
link is the one kept when the task deferred.

A pool (or training) given only by id comes without its project. When the task handled exactly
one such pool, and the connection's environment has pages, the task reads it once
(``to_look_up``: ``get_pool`` / ``get_training``) for its project; it reads nothing when the
project is already known (a selection's pools, a second look), when it handled several, or for a
custom base URL.
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
TRAINING = "training"  # the page kinds are the nouns of the reports, and of the pages' paths


def project_page(environment: Environment | None, project_id: str) -> str | None:
    root = WEB_ROOTS.get(environment) if environment is not None else None
    return None if root is None else f"{root}/requester/project/{project_id}"


def member_page(
    environment: Environment | None, project_id: str, noun: str, member_id: str
) -> str | None:
    """A pool's or a training's page (``noun``: ``pool``, ``training``) in its project's."""
    project = project_page(environment, project_id)
    return None if project is None else f"{project}/{noun}/{member_id}"


def pool_page(environment: Environment | None, project_id: str, pool_id: str) -> str | None:
    return member_page(environment, project_id, POOL, pool_id)


def training_page(environment: Environment | None, project_id: str, training_id: str) -> str | None:
    return member_page(environment, project_id, TRAINING, training_id)


def to_look_up(environment: Environment | None, projects: Mapping[str, str | None]) -> str | None:
    """The one pool (or training) whose project must be read for its page, if any: the task
    handled exactly one, its project is not known, and the environment has pages."""
    if environment not in WEB_ROOTS or len(projects) != 1:
        return None
    [(member_id, project)] = projects.items()
    return member_id if project is None else None


def pages_for(
    environment: Environment | None,
    *,
    project_id: str | None,
    pool_projects: Mapping[str, str | None] | None = None,
    training_projects: Mapping[str, str | None] | None = None,
) -> dict[str, str | None]:
    """The task's pages: its project's, and its pool's (or training's) when it handled exactly
    one.

    ``project_id``: the project the task was asked about, else the one project of every pool and
    training it handled, when they have one. ``pool_projects``, ``training_projects``: each one
    handled, with its project when known (those chosen by project come with it; one given by
    id has it once the task has read it, ``to_look_up``).
    """
    members = {POOL: dict(pool_projects or {}), TRAINING: dict(training_projects or {})}
    projects = {project for handled in members.values() for project in handled.values()}
    if project_id is None and len(projects) == 1:
        project_id = next(iter(projects))
    pages: dict[str, str | None] = {
        PROJECT: None if project_id is None else project_page(environment, project_id),
    }
    for noun, handled in members.items():
        pages[noun] = None
        if len(handled) == 1:
            [(member_id, member_project)] = handled.items()
            if member_project is not None:
                pages[noun] = member_page(environment, member_project, noun, member_id)
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


class TolokaTrainingLink(_TolokaPageLink):
    """The page of the task's training in Toloka's web interface, when it handled exactly one."""

    name = "Toloka training"
    kind = TRAINING
