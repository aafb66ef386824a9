"""Pagination for lists that hold a province's data: a million members must page as fast as a hundred.

- `CappedPaginator` counts at most `cap` rows (a COUNT over a LIMIT), so that neither the count nor a numbered
  page ever reads more than `cap` rows; past the cap the list says "more than N" and goes on with keyset pages
  (`?after=<key>`: the rows after the last one shown, read from an index in order, at the same cost at any depth).
  With `cap=None` it counts exactly (the registers: a few hundred thousand rows at most, counted from an index).
- Pages are read in two steps (a "deferred join"): the page's primary keys first, from the ordered and filtered
  queryset without its joins (an index-only scan where the list's index carries the filtered columns), then the
  25 rows with their related objects. OFFSET then skips index entries, not joined rows.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap: int | None = COUNT_CAP, **kwargs):
        self.rows = object_list
        super().__init__(object_list.values_list("pk", flat=True), per_page, **kwargs)
        self.cap = cap
        self.count_capped = False

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return self.object_list.order_by().count()
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.count_capped = found > self.cap
        return min(found, self.cap)

    def _get_page(self, pks, number, paginator):
        pks = list(pks)
        by_pk = self.rows.in_bulk(pks) if pks else {}
        return super()._get_page([by_pk[pk] for pk in pks if pk in by_pk], number, paginator)


class KeysetPage:
    """The `per_page` rows after `after` in the order of the unique `key` (ascending), with a link to the next
    ones. Quacks enough like a Page for the templates: iterable, `has_next`, `is_keyset`."""

    is_keyset = True

    def __init__(self, queryset, *, key: str, after: str, per_page: int):
        rows = list(queryset.filter(**{f"{key}__gt": after}).order_by(key)[: per_page + 1])
        self.object_list = rows[:per_page]
        self.has_next = len(rows) > per_page
        self.next_after = getattr(self.object_list[-1], key) if self.has_next else None
        self.after = after

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_of(request, queryset, *, per_page: int, key: str | None = None, cap: int | None = COUNT_CAP):
    """A numbered page (`?page=`) while under the cap, a keyset page (`?after=`) past it. `queryset` must be
    ordered by `key` when a key is given; without one, pages stop at the cap."""
    after = request.GET.get("after")
    if key and after:
        return KeysetPage(queryset, key=key, after=after, per_page=per_page)
    page = CappedPaginator(queryset, per_page, cap=cap).get_page(request.GET.get("page"))
    page.is_keyset = False
    page.next_after = None
    if key and page.paginator.count_capped and not page.has_next() and page.object_list:
        page.next_after = getattr(page.object_list[-1], key)
    return page
