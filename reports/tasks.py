"""Celery tasks of the reports app: thin shells over reports.exports."""

from celery import shared_task

from . import exports


@shared_task(name="reports.tasks.prepare_export")
def prepare_export(*, user_id: int, kind: str, query: str, name: str) -> bool:
    return exports.export_prepare(user_id=user_id, kind=kind, query=query, name=name)


@shared_task(name="reports.tasks.purge_exchange_files")
def purge_exchange_files() -> int:
    return exports.exchange_files_purge()
