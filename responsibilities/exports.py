"""The checklist matrix as a spreadsheet: one sheet per checklist, a member a row, an item a column, with the
totals row (issue 7's exports). Written while the request waits up to FLOWPARTY_LIVE_COMPLIANCE_LIMIT open
registrations, prepared by Celery above it (`matrix_export_prepare`, downloaded through reports' download page).
"""

from django.utils import timezone

STATUS_TEXT = {
    "met": "已落实",
    "due": "待落实",
    "overdue": "逾期",
    "exempt": "不作硬性要求",
    "as_needed": "按需",
    "not_applicable": "不适用",
}


def matrix_filename(organization) -> str:
    return f"{organization.name}责任清单落实情况_{timezone.localdate():%Y%m%d}"


def matrix_sheets(matrix) -> list:
    from reports.xlsx import simple_sheet

    sheets = []
    for title, items, rows, totals in (
        ("流出党员（附件1、3）", matrix.outflow_items, matrix.outflow_rows, matrix.outflow_totals),
        ("流入党员（附件2）", matrix.inflow_items, matrix.inflow_rows, matrix.inflow_totals),
    ):
        headers = ["姓名", "工号/学号", *[f"{i.code} {i.title}" for i in items]]
        lines = [
            [
                row.member.name,
                row.member.number,
                *[
                    STATUS_TEXT.get(str(row.results[i.code].status), str(row.results[i.code].status))
                    for i in items
                ],
            ]
            for row in rows
        ]
        lines.append(
            ["合计（已落实/待落实/逾期）", "", *[f"{t['met']}/{t['due']}/{t['overdue']}" for t in totals]]
        )
        sheets.append(simple_sheet(title, headers, lines))
    return sheets


def matrix_export_prepare(*, user_id: int, organization_id: int, name: str) -> bool:
    """Write an organisation's whole matrix for the user, with the rights they have now, and tell them it is
    ready (reports.exports.deliver_prepared)."""
    from django.utils import translation

    from members import permissions
    from members.models import User
    from reports import exports
    from reports.xlsx import xlsx_file

    from . import selectors

    user = User.objects.filter(pk=user_id, is_active=True).first()
    organization = None
    if user is not None and permissions.can(user, "export") and permissions.can(user, "view_checklists"):
        organization = permissions.organizations_for(user).filter(pk=organization_id).first()
    if organization is None:
        return exports.refuse_prepared(name)

    def write():
        matrix = selectors.organization_matrix(user=user, organization=organization, everything=True)
        with translation.override("zh-hans"):
            return xlsx_file(matrix_sheets(matrix))

    exports.deliver_prepared(
        user=user, name=name, filename=f"{matrix_filename(organization)}.xlsx", write=write
    )
    return True
