"""Retention (PIPL Art. 19 and 47): personal details in records that ended long ago are anonymised.

Ended outflows, inflows and change reports older than FLOWPARTY_RETENTION_YEARS keep their dates, states and
organisations (the statistics need them) but lose contact details; members who left us through such a record,
and have no open record or account left, lose their identifying details too.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction

from members.models import Member

from .models import ChangeReport, InflowRegistration, OutflowRegistration

ANONYMISED = "（已匿名）"


@transaction.atomic
def anonymise_ended_records(*, today: date, years: int) -> dict[str, int]:
    cutoff = today - relativedelta(years=years)
    outflows = OutflowRegistration.objects.filter(state="ended", ended_on__lt=cutoff).exclude(
        contact_phone="",
        destination_address="",
        paired_contact_phone="",
        destination_contact_phone="",
        destination_contact="",
    )
    n_out = outflows.update(
        contact_phone="",
        destination_address="",
        paired_contact_phone="",
        destination_contact="",
        destination_contact_phone="",
    )
    inflows = InflowRegistration.objects.filter(state="ended", ended_on__lt=cutoff).exclude(
        origin_contact="", origin_contact_phone="", designated_contact_phone=""
    )
    n_in = inflows.update(origin_contact="", origin_contact_phone="", designated_contact_phone="")
    reports = (
        ChangeReport.objects.filter(created_at__date__lt=cutoff)
        .exclude(status="pending")
        .exclude(new_phone="", new_address="", details="")
    )
    n_reports = reports.update(new_phone="", new_address="", details="")

    # Members whose formal relation is elsewhere, who came to us through an inflow that ended long ago, and who
    # have nothing open here any more.
    gone = (
        Member.objects.filter(
            branch__isnull=True, user__isnull=True, inflows__state="ended", inflows__ended_on__lt=cutoff
        )
        .exclude(inflows__in=InflowRegistration.objects.exclude(state="ended"))
        .exclude(outflows__in=OutflowRegistration.objects.exclude(state="ended"))
        .exclude(name=ANONYMISED)
        .distinct()
    )
    members = list(gone)
    for member in members:
        member.name = ANONYMISED
        member.phone = ""
        member.email = ""
        member.id_number = ""
        member.id_number_digest = None
        member.whereabouts_note = ""
    if members:
        Member.objects.bulk_update(
            members, ["name", "phone", "email", "id_number", "id_number_digest", "whereabouts_note"]
        )
    return {"outflows": n_out, "inflows": n_in, "change_reports": n_reports, "members": len(members)}
