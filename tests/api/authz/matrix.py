"""Who gets data from every field that takes an ID: the roles of the object's own community.

Every caller of another community and every anonymous caller is refused on every row (with
FORBIDDEN, NOT_FOUND or UNAUTHENTICATED, or a null where the field is nullable), shown nothing,
and, for a mutation, changes nothing. A row lists the roles of *our* community that pass
authorization: for a mutation that means reaching the domain's own checks (an allowed caller may
still get INVALID_TRANSITION on an object the day already finished), for a query it means data.

`node:<Type>` rows are `node(id)` with an id of that type; NOBODY there means `node` does not
resolve that type (it answers null for everyone), so adding a lookup makes the row fail until
someone says who may see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.enums import Role

MEMBERS = frozenset(r.value for r in Role)
MANAGERS = frozenset({Role.STAFF.value, Role.ADMIN.value})
STAFF = frozenset({Role.STAFF.value})
CAPTAIN = frozenset({Role.CAPTAIN.value})
REPAIRER = frozenset({Role.REPAIRER.value})
NOBODY: frozenset[str] = frozenset()
OBSERVER = frozenset({Role.OBSERVER.value})
MEDIATOR = frozenset({Role.MEDIATOR.value})


@dataclass(frozen=True)
class Row:
    allowed: frozenset[str]
    # Codes that refuse here besides the usual ones: fields reached by a secret code, not an id.
    refusals: tuple[str, ...] = ()
    # Generated arguments left out (an optional id that would pick a different object).
    drop: tuple[str, ...] = ()
    # The field acts only on the caller's own objects, so outsiders pass but touch nothing of ours.
    own_only: bool = False
    # Arguments set by hand where the generated ones would not reach the id (an enum's first value).
    fixed: tuple[tuple[str, object], ...] = ()
    # The caller's own list, which is empty for someone who has none.
    may_be_empty: bool = False
    # Roles that pass but are shown only their own objects, of which the world gives them none:
    # they must get an empty list, neither a refusal nor anyone else's objects.
    shown_none: frozenset[str] = frozenset()
    # Public: every caller gets data, anonymous and other communities included (the district's
    # public accounts).
    public: bool = False
    note: str = ""


ROWS: dict[str, Row] = {
    "Mutation.inviteCreate": Row(MANAGERS),
    "Mutation.communityJoin": Row(
        NOBODY, refusals=("INVITE_INVALID",), note="joins by an invite's code, not an id"
    ),
    "Mutation.memberAdd": Row(MANAGERS),
    "Mutation.memberPhoneSet": Row(MANAGERS, note="the world's members all have a phone: INVALID_INPUT"),
    "Mutation.placeCreate": Row(MANAGERS),
    "Mutation.placeRename": Row(MANAGERS),
    "Mutation.communityOfficePhoneSet": Row(MANAGERS),
    "Mutation.placesImport": Row(MANAGERS),
    "Mutation.householdCareTagsSet": Row(STAFF),
    "Mutation.rewardRedeem": Row(MEMBERS),
    "Mutation.redemptionCancel": Row(MANAGERS),
    "Mutation.pointsAward": Row(MANAGERS),
    "Mutation.pointsDeduct": Row(MANAGERS),
    "Mutation.pointTransferReverse": Row(MANAGERS),
    "Mutation.rewardCreate": Row(MANAGERS),
    "Mutation.rewardUpdate": Row(MANAGERS),
    "Mutation.pointRulesUpdate": Row(MANAGERS),
    # With proxyForId set: reporting for a neighbour who has no phone is for volunteers and staff.
    "Mutation.reportCreate": Row(frozenset({"volunteer", "captain", "staff"})),
    "Mutation.reportMeToo": Row(MEMBERS),
    "Mutation.reportClaim": Row(REPAIRER),
    "Mutation.reportResolve": Row(MEMBERS),
    "Mutation.reportConfirm": Row(MEMBERS),
    "Mutation.reportReopen": Row(MEMBERS),
    "Mutation.reportReject": Row(STAFF),
    "Mutation.reportCancel": Row(MEMBERS),
    "Mutation.reportClocksSet": Row(STAFF),
    "Mutation.notificationMarkRead": Row(
        MEMBERS, own_only=True, note="marks only the caller's own; others' ids are skipped"
    ),
    "Mutation.tagCreate": Row(MANAGERS),
    "Mutation.tagsCreateForBuilding": Row(MANAGERS),
    "Mutation.tagsCreateForCompoundAssets": Row(MANAGERS),
    "Mutation.tagRevoke": Row(MANAGERS),
    "Mutation.tagReissue": Row(MANAGERS),
    "Mutation.teamCreate": Row(MANAGERS),
    "Mutation.teamCaptainAppoint": Row(MANAGERS),
    "Mutation.teamJoinRequest": Row(MEMBERS),
    "Mutation.teamJoinDecide": Row(CAPTAIN),
    "Mutation.activitySchedule": Row(CAPTAIN | MANAGERS),
    "Mutation.activitySignUp": Row(MEMBERS),
    "Mutation.emergencyDeclare": Row(MANAGERS),
    "Mutation.attendanceCheckIn": Row(
        NOBODY, refusals=("CHECKIN_CODE_INVALID",), note="the rotating code is the key"
    ),
    "Mutation.attendanceCheckOut": Row(
        NOBODY, refusals=("CHECKIN_CODE_INVALID",), note="the rotating code is the key"
    ),
    "Mutation.attendanceCaptainCheckIn": Row(CAPTAIN),
    "Mutation.attendanceCaptainCheckOut": Row(CAPTAIN),
    "Mutation.attendanceApprove": Row(CAPTAIN),
    "Mutation.attendanceAdjust": Row(CAPTAIN),
    "Mutation.attendanceReject": Row(CAPTAIN),
    "Mutation.volunteerCardIssue": Row(MANAGERS),
    "Mutation.activityLogPatrol": Row(CAPTAIN),
    "Mutation.activityLogTutoring": Row(CAPTAIN),
    "Mutation.activityLogMediation": Row(CAPTAIN),
    "Mutation.activityLogSnowClearing": Row(CAPTAIN),
    "Mutation.activityLogCleaning": Row(CAPTAIN),
    "Mutation.opinionPost": Row(MEMBERS),
    "Mutation.opinionSupport": Row(MEMBERS),
    "Mutation.opinionAnswer": Row(MANAGERS),
    "Mutation.opinionDone": Row(MANAGERS),
    "Mutation.accountEntryRecord": Row(MANAGERS),
    "Mutation.surveyCreate": Row(MANAGERS),
    "Mutation.surveyAnswer": Row(MEMBERS),
    "Mutation.boardPublicitySet": Row(MANAGERS),
    "Mutation.meetingCreate": Row(MANAGERS),
    "Mutation.agendaTopicAdd": Row(MANAGERS),
    "Mutation.topicVote": Row(MEMBERS),
    "Mutation.topicClose": Row(MANAGERS),
    "Mutation.meetingCheckIn": Row(MEMBERS),
    "Mutation.boardPrivacySet": Row(MEMBERS),
    "Mutation.corridorWeightsSet": Row(MANAGERS),
    "Mutation.monthClose": Row(MANAGERS),
    "Mutation.abuseFlagDecide": Row(STAFF),
    "Query.community": Row(MEMBERS),
    "Query.membersSearch": Row(MANAGERS, fixed=(("search", "resident"),)),
    "Query.myPoints": Row(MEMBERS),
    "Query.rewardCatalog": Row(MEMBERS),
    "Query.myRedemptions": Row(MEMBERS, may_be_empty=True),
    # The day picks up or cancels every redemption, so nothing waits at the counter.
    "Query.pendingPickups": Row(MANAGERS, may_be_empty=True),
    "Query.economySummary": Row(MEMBERS),
    "Query.pointRules": Row(MEMBERS),
    "Query.report": Row(MEMBERS),
    "Query.reportQueue": Row(REPAIRER | STAFF),
    "Query.teams": Row(MEMBERS),
    "Query.team": Row(MEMBERS),
    "Query.activity": Row(MEMBERS),
    "Query.myActivities": Row(MEMBERS, may_be_empty=True),
    "Query.activityCheckInCode": Row(CAPTAIN),
    "Query.myServiceHours": Row(MEMBERS, may_be_empty=True),
    "Query.teamHours": Row(CAPTAIN | MANAGERS),
    "Query.emergencies": Row(MEMBERS),
    "Query.opinions": Row(MEMBERS),
    "Query.opinionCounts": Row(MEMBERS),
    "Query.accountStatement": Row(MEMBERS),
    "Query.satisfactionByMonth": Row(MEMBERS),
    "Query.satisfactionByTeam": Row(MEMBERS),
    "Query.surveys": Row(MEMBERS),
    "Query.boardPublicity": Row(MEMBERS),
    "Query.repairsDone": Row(MEMBERS),
    "Query.meetings": Row(MEMBERS),
    "Query.meetingAgenda": Row(MEMBERS),
    "Query.roundTableSuggestions": Row(MANAGERS),
    "Query.meetingCheckInCode": Row(MANAGERS),
    # The team's board: its members and the office see it (scopeId is ignored community-wide).
    "Query.leaderboard": Row(
        frozenset({"volunteer", "captain"}) | MANAGERS, refusals=("NOT_IN_SCOPE",), fixed=(("scope", "TEAM"),)
    ),
    "Query.groupBoard": Row(MEMBERS),
    "Query.corridorStanding": Row(MEMBERS),
    "Query.corridorFlagHistory": Row(MEMBERS),
    # Every state, so the flag the day dismissed is listed; admins are not staff here.
    "Query.abuseFlags": Row(STAFF, fixed=(("state", None),)),
    # The office sees every inspection; anyone else only their own (our cleaner made none).
    "Query.inspections": Row(MANAGERS, shown_none=MEMBERS - MANAGERS),
    # Property fees: the office records and reads; members see the schedule, offers, rates and
    # their own household's fees; hardship reductions are for staff alone.
    "Query.feeSchedule": Row(MEMBERS),
    "Query.feeBills": Row(MANAGERS),
    "Query.feeUnbillable": Row(MANAGERS, may_be_empty=True),
    "Query.feeOffers": Row(MEMBERS),
    "Query.feeReductions": Row(STAFF),
    "Query.feeArrears": Row(MANAGERS),
    "Query.feeCollectionRates": Row(MEMBERS),
    "Query.myFees": Row(MEMBERS, note="the caller's own household; without one, an empty statement"),
    "Query.feePaymentQuote": Row(MANAGERS),
    "Query.feeHousehold": Row(MANAGERS),
    "Query.feeBillHistory": Row(MANAGERS),
    "Query.feeReceipt": Row(
        MANAGERS, note="and the paying household's members, none of whom the matrix calls as"
    ),
    "Mutation.feeScheduleSet": Row(MANAGERS),
    "Mutation.feeBillsIssue": Row(MANAGERS),
    "Mutation.feePaymentRecord": Row(
        MANAGERS,
        drop=("giftRecipientId",),
        note="the gift goes to someone of the household; tests/services/fees refuses a stranger",
    ),
    "Mutation.feePaymentReverse": Row(MANAGERS),
    "Mutation.feeOfferCreate": Row(MANAGERS),
    "Mutation.feeReductionSet": Row(STAFF),
    "Mutation.feeBillWaive": Row(MANAGERS),
    "Mutation.feeBillWaiverUndo": Row(MANAGERS),
    "Mutation.feeRemindersSend": Row(MANAGERS),
    # Home observers and the mediation room: the office appoints; an observer acts on their own
    # compound's visits; a case is for its mediators (the world puts ours on the case it names)
    # and the office; counts and who observes where are for every member.
    "Mutation.observerAppoint": Row(MANAGERS),
    "Mutation.observerVisitRecord": Row(OBSERVER),
    "Mutation.observerOpinionTake": Row(OBSERVER),
    "Mutation.observerDisputeStepIn": Row(OBSERVER),
    "Mutation.observerDisputeRefer": Row(OBSERVER | MANAGERS),
    "Mutation.mediatorAppoint": Row(MANAGERS),
    "Mutation.mediationCaseOpen": Row(MANAGERS),
    # The office stands observers and mediators down and changes an open case's mediators (the
    # world's user is a bystander, neither posted nor a mediator: INVALID_INPUT for the office).
    "Mutation.observerStandDown": Row(MANAGERS),
    "Mutation.mediatorStandDown": Row(MANAGERS),
    "Mutation.mediationCaseMediatorsSet": Row(MANAGERS),
    "Mutation.mediationSessionRecord": Row(MEDIATOR | MANAGERS),
    "Mutation.mediationAgreementRecord": Row(MEDIATOR | MANAGERS),
    "Mutation.mediationFollowUpRecord": Row(MEDIATOR | MANAGERS),
    "Mutation.mediationCaseClose": Row(MEDIATOR | MANAGERS),
    "Query.observerPosts": Row(MEMBERS),
    "Query.observerVisits": Row(OBSERVER | MANAGERS),
    "Query.observerMonthCounts": Row(MEMBERS),
    "Query.mediationCases": Row(MEDIATOR | MANAGERS),
    "Query.mediationCase": Row(MEDIATOR | MANAGERS),
    "Query.mediationCounts": Row(MEMBERS),
    # The room's roster with open cases: the office's (a mediator sees their own cases, not the room).
    "Query.mediators": Row(MANAGERS),
    # The office's record of appointments: a stand-down's reason can be personal, so staff only.
    "Query.appointmentEvents": Row(STAFF),
    "Query.node:MediationCase": Row(NOBODY),
    "Query.node:ObserverVisit": Row(NOBODY),
    "Query.node:FeeBill": Row(NOBODY),
    "Query.node:FeePayment": Row(NOBODY),
    # Beyond the community (issue 21): street and district roles are not community roles, so no
    # role of ours acts on a dispatch; our members read our referral (every step on its
    # timeline) and our staff refer. tests/api/district/test_authz.py walks the district roles.
    "Mutation.reportRefer": Row(STAFF),
    "Mutation.outpostReport": Row(NOBODY, note="outpost reporters only: a district role"),
    "Mutation.dispatchStreetClaim": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchAssign": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchSendBack": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchDepartmentClaim": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchDispute": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchFeedback": Row(NOBODY, refusals=("OUT_OF_JURISDICTION",)),
    "Mutation.dispatchConfirm": Row(NOBODY, refusals=("NOT_REPORTER",), note="the outpost reporter's own"),
    # Its photos (Dispatch.photos: the reporter's and the department's signed proof links) come
    # with it, so the probe's selection reads them for exactly the same callers.
    "Query.dispatch": Row(MEMBERS),
    "Query.outpostRanking": Row(NOBODY),
    "Query.outpostRewards": Row(
        NOBODY, public=True, note="the district's public accounts: names only for its role holders"
    ),
    "Query.districtReports": Row(
        NOBODY, note="street and district roles only (tests/api/district/test_reports.py walks them)"
    ),
    "Mutation.outpostRewardPay": Row(NOBODY, note="the district office (its coordinator) only"),
    "Mutation.outpostRewardReverse": Row(NOBODY, note="the district office (its coordinator) only"),
    "Query.districtRollup": Row(NOBODY),
    "Query.districtRollupCsv": Row(NOBODY),
    "Query.node:AbuseFlag": Row(NOBODY),
    "Query.node:AccountEntry": Row(NOBODY),
    "Query.node:Activity": Row(NOBODY),
    "Query.node:AgendaTopic": Row(NOBODY),
    "Query.node:Asset": Row(NOBODY),
    "Query.node:Attendance": Row(NOBODY),
    "Query.node:Building": Row(MEMBERS),
    "Query.node:CleaningLog": Row(NOBODY),
    "Query.node:Community": Row(MEMBERS),
    "Query.node:Compound": Row(MEMBERS),
    "Query.node:Emergency": Row(NOBODY),
    "Query.node:Entrance": Row(MEMBERS),
    "Query.node:Household": Row(MANAGERS),
    "Query.node:Invite": Row(NOBODY),
    "Query.node:MediationLog": Row(NOBODY),
    "Query.node:Meeting": Row(NOBODY),
    "Query.node:Membership": Row(NOBODY),
    "Query.node:Notification": Row(NOBODY),
    "Query.node:Opinion": Row(NOBODY),
    "Query.node:PatrolFinding": Row(NOBODY),
    "Query.node:PatrolLog": Row(NOBODY),
    "Query.node:PointTransfer": Row(MANAGERS),
    "Query.node:Redemption": Row(MANAGERS),
    "Query.node:Report": Row(MEMBERS),
    "Query.node:ReportEvent": Row(NOBODY),
    "Query.node:ReportPhoto": Row(NOBODY),
    "Query.node:Reward": Row(MEMBERS),
    "Query.node:SnowClearingLog": Row(NOBODY),
    "Query.node:Survey": Row(NOBODY),
    "Query.node:Tag": Row(MANAGERS),
    "Query.node:Team": Row(NOBODY),
    "Query.node:TeamJoinRequest": Row(NOBODY),
    "Query.node:TeamMember": Row(NOBODY),
    "Query.node:TutoringLog": Row(NOBODY),
    "Query.node:User": Row(NOBODY),
}


@dataclass(frozen=True)
class HttpRow:
    """A route outside GraphQL that takes an id in its query string, and who gets it (200)."""

    allowed: frozenset[str]
    # Query parameters by the kind of object they name ("Community", "Building", "CardHolder").
    params: tuple[tuple[str, str], ...] = ()
    fixed: tuple[tuple[str, str], ...] = ()


HTTP_ROWS: dict[str, HttpRow] = {
    "/qr-sheet.pdf": HttpRow(MANAGERS, params=(("building", "Building"),)),
    # Another member's certificate or card: the office only (one's own is asked without `user`).
    "/certificates/hours.png": HttpRow(
        MANAGERS,
        params=(("community", "Community"), ("user", "CardHolder")),
        fixed=(("from", "2026-01"), ("to", "2026-12")),
    ),
    "/cards/volunteer.png": HttpRow(MANAGERS, params=(("community", "Community"), ("user", "CardHolder"))),
}

# Routes that take no id a caller could swap: the key is a signed capability (a photo's signed
# link, a pickup code, a tag's code), or the page is public by the office's own choice; or a web
# page (api/web) that runs a persisted document for the person its cookie signs in, so the matrix
# above is its authorization (an id in its path goes to that document as is).
_WEB = "a web page: runs the contract's documents for the cookie's person (the matrix above)"
HTTP_WITHOUT_IDS = {
    "/graphql": "the matrix above",
    "/healthz": "no data",
    "/photos/{photo_id:int}": "a signed, expiring link (exp, sig); the id alone opens nothing",
    "/photos/inspection/{photo_id:int}": "the same, signed for inspection photos only",
    "/photos/visit/{photo_id:int}": "the same, signed for observers' visit photos only",
    "/photos/dispatch/{photo_id:int}": "the same, signed for dispatch photos only (Dispatch.photos)",
    "/pickup/{code}.png": "the pickup code is the capability; the image shows only that code",
    "/t/{code}": "a tag's signed code; the page shows the place, as the printed tag does, and the "
    "office's phone (TagScan.officePhone: public for a valid tag, as on the office's door); " + _WEB,
    "/qr/{name}": "a tag's signed code rendered as an image",
    "/board/{slug}": "the notice board, public only for what the office chose to publish",
    # api/developer_pages.py: development only; production has only "/", a status line.
    "/": "development: links and the demo's shared logins; production: a status line, no data",
    "/explorer/": "development only: GraphiQL's page, which runs /graphql as the caller",
    "/explorer/static/{name}": "development only: GraphiQL's files, by exact name",
    "/contract/README.md": "development only: the mobile contract's README from the repository",
    "/open311/v2/services.json": "Open311: the categories, public",
    "/open311/v2/requests.json": "Open311: problems in public space only, no personal data",
    "/open311/v2/requests/{request_id}.json": "Open311: one problem in public space, no personal data",
    "/web/static/{name}": "the web pages' own CSS and script",
    "/login": _WEB,
    "/logout": _WEB,
    "/me": _WEB,
    "/me/reports": _WEB,
    "/me/reports/{id:path}": _WEB + "; ReportDetail (tests/api/web: another community's is not shown)",
    "/c/{code}": "the captain's rotating code is the capability; " + _WEB,
    "/me/points": _WEB,
    "/me/redemptions/{id:path}": _WEB + "; node(id) of a Redemption (its owner and the office only)",
    "/me/board": _WEB,
}

# The office console (issue 18): every page and form runs the office's persisted documents for
# the person signed in (api/web/operations.py), so who may see or change what is the GraphQL
# matrix above; ids in its paths and forms reach only those documents.
OFFICE_PAGES = (
    "/office/",
    "/office/reports",
    "/office/reports/new",
    "/office/reports/{report_id}",
    "/office/reports/{report_id}/reject",
    "/office/reports/{report_id}/cancel",
    "/office/pickups",
    "/office/opinions",
    "/office/opinions/{opinion_id}/answer",
    "/office/opinions/{opinion_id}/done",
    "/office/accounts",
    "/office/month",
    "/office/places",
    "/office/places/import",
    "/office/places/rename",
    "/office/places/tags-for-building",
    "/office/places/tags-for-assets",
    "/office/places/tag-revoke",
    "/office/places/tag-reissue",
    "/office/places/sheet",
    "/office/places/entrance/{entrance_id}",
    "/office/live",
    "/office/members",
    "/office/members/phone",
    "/office/teams",
    "/office/teams/captain",
    "/office/card",
    "/office/rewards",
    "/office/rewards/update",
    "/office/flags",
    "/office/flags/decide",
    "/office/inspections",
    "/office/appointments",
    "/office/observers",
    "/office/observers/appoint",
    "/office/observers/stand-down",
    "/office/observers/open-case",
    "/office/observers/cases/{case_id}",
    "/office/meetings",
    "/office/meetings/{meeting_id}",
    "/office/meetings/{meeting_id}/close",
    "/office/surveys",
    "/office/rules",
    "/office/rules/clocks",
    "/office/rules/reverse",
    "/office/invites",
    "/office/board",
)
HTTP_WITHOUT_IDS.update(
    {
        path: "office console: persisted documents for the signed-in viewer (the matrix above)"
        for path in OFFICE_PAGES
    }
)
# The office's fee pages (api/web/office/fees.py): the same, through the OfficeFee… documents; the
# row numbers in their paths become global ids the fee fields above check. The resident's 我的物业费
# runs myFees and feeReceipt (the paying household and the office only).
HTTP_WITHOUT_IDS.update(
    {
        path: "office console: persisted documents for the signed-in viewer (the matrix above)"
        for path in (
            "/office/fees",
            "/office/fees/households/{household_id:int}",
            "/office/fees/households/{household_id:int}/pay",
            "/office/fees/households/{household_id:int}/reduce",
            "/office/fees/bills/{bill_id:int}",
            "/office/fees/bills/{bill_id:int}/waive",
            "/office/fees/bills/{bill_id:int}/unwaive",
            "/office/fees/receipts/{payment_id:int}",
            "/office/fees/receipts/{payment_id:int}.pdf",
        )
    }
)
HTTP_WITHOUT_IDS["/me/fees"] = _WEB
HTTP_WITHOUT_IDS["/me/fees/receipts/{payment_id:int}"] = _WEB + "; feeReceipt (its household and the office)"
# The one office route that draws from a service directly, as /cards/volunteer.png does for a
# bearer: staff and admins of the community only (others get sign-in or 403), and the service
# checks the holder belongs to that community (tests/api/office/test_office_pages.py).
HTTP_WITHOUT_IDS["/office/card.png"] = (
    "cookie session of the office; attendance.printable_card checks the holder"
)
