"""Audit entries for writes made in bulk.

`bulk_create` and `bulk_update` send no signals, so auditlog writes nothing for them. Services that write in bulk
(imports) call `log_bulk` in the same transaction: the entries auditlog would have written for the same saves
(the changed columns as text, its masking of ID-card numbers, the actor and correlation id), inserted in one
statement per thousand rows instead of one per row.
"""

from collections.abc import Iterable
from datetime import UTC
from functools import cache

from auditlog.cid import get_cid
from auditlog.diff import get_mask_function, track_field
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, Model
from django.utils import timezone
from django.utils.encoding import smart_str


@cache
def _tracked(model) -> tuple[tuple, frozenset, object]:
    """The concrete fields auditlog tracks for a model (its include / exclude lists), its masked fields and
    its mask function, read once per model."""
    options = auditlog.get_model_fields(model)
    fields = [f for f in model._meta.concrete_fields if track_field(f)]
    if options["include_fields"]:
        fields = [f for f in fields if f.name in options["include_fields"]]
    if options["exclude_fields"]:
        fields = [f for f in fields if f.name not in options["exclude_fields"]]
    mask = get_mask_function(options.get("mask_callable"))
    return tuple(fields), frozenset(options["mask_fields"]), mask


def _text(obj: Model, field) -> str | None:
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if isinstance(field, DateTimeField) and timezone.is_aware(value):
        value = timezone.make_naive(value, timezone=UTC)
    return smart_str(value)


def changes(before: Model | None, after: Model) -> dict[str, tuple[str, str]]:
    """What auditlog's diff records for a save, for the model's own columns: {field: (old, new)} as text,
    "None" for no value, masked fields masked. (auditlog's model_instance_diff also walks reverse relations,
    which a bulk write never changes, and costs ten times as much.)"""
    fields, masked, mask = _tracked(type(after))
    result = {}
    for field in fields:
        new = _text(after, field)
        old = _text(before, field) if before is not None else None
        if old == new:
            continue
        old, new = smart_str(old), smart_str(new)
        if field.name in masked:
            old, new = mask(old), mask(new)
        result[field.name] = (old, new)
    return result


def _entry(
    *, actor, old: Model | None, new: Model, action: int, content_types: dict, cid, now
) -> LogEntry | None:
    diff = changes(old, new)
    if not diff:
        return None
    model = type(new)
    if model not in content_types:
        content_types[model] = ContentType.objects.get_for_model(model)
    return LogEntry(
        content_type=content_types[model],
        object_pk=str(new.pk),
        object_id=new.pk if isinstance(new.pk, int) else None,
        object_repr=smart_str(new),
        action=action,
        changes=diff,
        actor=actor,
        actor_email=getattr(actor, "email", None) or None,
        cid=cid,
        timestamp=now,
    )


def log_bulk(*, actor, created: Iterable[Model] = (), updated: Iterable[tuple[Model, Model]] = ()) -> int:
    """Write the audit entries for objects just created and for (before, after) pairs just updated."""
    content_types: dict = {}
    cid = get_cid()
    now = timezone.now()
    entries = []
    for obj in created:
        if auditlog.contains(type(obj)):
            entry = _entry(
                actor=actor,
                old=None,
                new=obj,
                action=LogEntry.Action.CREATE,
                content_types=content_types,
                cid=cid,
                now=now,
            )
            if entry:
                entries.append(entry)
    for before, after in updated:
        if auditlog.contains(type(after)):
            entry = _entry(
                actor=actor,
                old=before,
                new=after,
                action=LogEntry.Action.UPDATE,
                content_types=content_types,
                cid=cid,
                now=now,
            )
            if entry:
                entries.append(entry)
    LogEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
