"""Administrative divisions in the database: loading and refreshing them from the data package."""

from django.db import transaction

from .division_source import COUNTY, PREFECTURE, Division, load_divisions, source_version


def _full_name(record: Division, by_code: dict[str, Division]) -> str:
    """四川省乐山市市中区: the names from the province down, skipping synthetic levels that repeat a name."""
    names = []
    node = record
    while node is not None:
        names.append(node.name)
        node = by_code.get(node.parent_code) if node.parent_code else None
    parts = []
    for name in reversed(names):
        if name in parts or name.endswith("直辖县级行政区划"):
            continue
        parts.append(name)
    return "".join(parts)


@transaction.atomic
def refresh_divisions(division_model=None) -> dict:
    """Insert new divisions and update changed ones, in bulk. Divisions that left the list are kept, because
    registrations may point to them, but they are no longer offered as children of anything new."""
    if division_model is None:
        from .models import Division as division_model
    records = load_divisions()  # parents before children
    by_code = {r.code: r for r in records}
    has_children = {r.parent_code for r in records if r.parent_code}
    existing = {d.code: d for d in division_model.objects.all()}
    fields = ["name", "level", "parent_id", "is_county_level", "full_name"]
    new_rows, changed = [], []
    for r in records:
        values = {
            "name": r.name,
            "level": r.level,
            "parent_id": r.parent_code,
            "is_county_level": r.level == COUNTY or (r.level == PREFECTURE and r.code not in has_children),
            "full_name": _full_name(r, by_code),
        }
        row = existing.get(r.code)
        if row is None:
            new_rows.append(division_model(code=r.code, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    division_model.objects.bulk_create(new_rows, batch_size=1000)
    division_model.objects.bulk_update(changed, fields, batch_size=1000)
    return {
        "created": len(new_rows),
        "updated": len(changed),
        "total": len(records),
        "source": source_version(),
    }
