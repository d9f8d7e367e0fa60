"""The demo logins printed after seeding: one account per role, and for each the first thing to
try — an operation of the app's contract (mobile-contract/operations) with what it shows.

The words are message ids (N_), said in the reader's language: the operator's (RS_LANGUAGE) on
the command line, Chinese on the start page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from runtime.i18n import N_, render, translate
from services.demo.district import DISTRICT_LOGINS
from services.demo.people import DEMO_PASSWORD, LOGIN_LABELS, DemoLogin


@dataclass(frozen=True)
class TryFirst:
    operation: str  # a file of mobile-contract/operations, without .graphql
    arguments: str  # what to pass, in words an operator can follow (the demo's own names)
    shows: str  # a message id


ROLE_NAMES = {
    "admin": N_("administrator"),
    "staff": N_("community office staff"),
    "captain": N_("captain (银发巡河队)"),
    "volunteer": N_("volunteer"),
    "repairer": N_("repairer"),
    "cleaner": N_("cleaner"),
    "resident": N_("resident"),
    "binhe staff": N_("office staff of 滨河社区"),
    "liaison": N_("street liaison (红军路街道)"),
    "coordinator": N_("district coordinator (营商局)"),
    "department": N_("department member (住建)"),
    "courier": N_("outpost courier"),
}
TRY_FIRST = {
    "admin": TryFirst(
        "EconomySummary", "communityId=红星社区", N_("points issued, redeemed and held, by month")
    ),
    "staff": TryFirst(
        "ReportQueue", "queue=ESCALATED", N_("reports past their clock, escalated to the office")
    ),
    "captain": TryFirst("TeamReview", "teamId=银发巡河队", N_("check-in times and join requests to review")),
    "volunteer": TryFirst(
        "MyActivities", "upcoming=true", N_("the coming mutual-aid and snow-clearing activities")
    ),
    "repairer": TryFirst("ReportQueue", "queue=UNCLAIMED", N_("reports waiting for a repairer")),
    "cleaner": TryFirst("Inspections", "communityId=红星社区", N_("the corridor inspections they made")),
    "resident": TryFirst("MyReports", "", N_("their own reports: in hand, to confirm, done")),
    "binhe staff": TryFirst(
        "CommunityCompounds",
        "communityId=滨河社区",
        N_("only 滨河社区's compounds (communities are kept apart)"),
    ),
    # Not the street's queue: a referral waits there only 30 minutes before the clock hands it to
    # the coordinator, so a demo served for an hour would show the liaison an empty queue.
    "liaison": TryFirst(
        "DistrictRollup",
        "districtId=示范区, month=YYYY-MM",
        N_("their street's month: reports by state, on-time rates, satisfaction, outpost snaps"),
    ),
    "coordinator": TryFirst(
        "DispatchQueue", "queue=COORDINATION", N_("a problem nobody claimed, waiting for a department")
    ),
    "department": TryFirst(
        "DistrictReports",
        "districtId=示范区",
        N_("the communities' reports in 住建's categories, with no resident's data"),
    ),
    "courier": TryFirst("DispatchQueue", "queue=MINE", N_("the problems they snapped and where each stands")),
}
# The district's people printed after the communities' (services.demo.district's labels): one per
# level of the three-level dispatch, and a courier of the outpost.
DISTRICT_LOGIN_LABELS = {
    "liaison": "liaison west",
    "coordinator": "coordinator",
    "department": "zhujian",
    "courier": "courier 1",
}
# Without signing in: the notice board the community made public.
PUBLIC_PAGE = "/board/hongxing"


def logins(phones: dict[str, str], district: bool = False) -> list[DemoLogin]:
    """The communities' logins, then (once the district is seeded) the district's."""
    rows = [
        DemoLogin(label, phones[label], DEMO_PASSWORD, TRY_FIRST[label].operation) for label in LOGIN_LABELS
    ]
    if district:
        district_phones = {login.label: login.phone for login in DISTRICT_LOGINS}
        rows += [
            DemoLogin(role, district_phones[label], DEMO_PASSWORD, TRY_FIRST[role].operation)
            for role, label in DISTRICT_LOGIN_LABELS.items()
        ]
    return rows


def role_name(role: str, language: str) -> str:
    return translate(ROLE_NAMES[role], language)


def try_first(role: str, language: str) -> str:
    """What to open first, in words: "try ReportQueue (queue=ESCALATED): …"."""
    first = TRY_FIRST[role]
    shows = translate(first.shows, language)
    if first.arguments:
        return render(
            N_("try {operation} ({arguments}) first: {shows}"),
            {"operation": first.operation, "arguments": first.arguments, "shows": shows},
            language,
        )
    return render(
        N_("try {operation} first: {shows}"), {"operation": first.operation, "shows": shows}, language
    )


def _padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns: a Chinese character takes two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def table(rows: list[DemoLogin], language: str) -> str:
    """The printed table: role (its id, then in words), phone, password, and what to open first.
    The role's id comes first on each line, so a script can read the logins back."""
    lines = [translate(N_("Demo logins (role / phone / password / role in words / try first):"), language)]
    for row in rows:
        lines.append(
            f"  {row.role:<12} {row.phone}  {row.password}  {role_name(row.role, language)}  "
            f"{try_first(row.role, language)}"
        )
    board = render(
        N_("notice board {page}: the corridor flag, top volunteers, repairs, satisfaction, accounts"),
        {"page": PUBLIC_PAGE},
        language,
    )
    anyone = translate(N_("(no sign-in)"), language)
    lines.append(f"  {_padded(anyone, 12)} {board}")
    return "\n".join(lines)
