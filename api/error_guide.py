"""What each error code means and what the app should do; the source of mobile-contract/errors.md.

Payload codes come from services.errors.ErrorCode; top-level codes (extensions.code) are listed
here too. tests/contract fails when a code has no entry.
"""

from __future__ import annotations

from services.errors import ErrorCode

# code → (meaning, what the app should do)
PAYLOAD_ERRORS: dict[ErrorCode, tuple[str, str]] = {
    ErrorCode.INVALID_INPUT: (
        "A value is out of range or badly formed (`field` names it), such as an id that is no id of "
        "the expected kind (not one we issued, or a report's id where a place's is asked).",
        "Show the message next to the field; let the person correct it.",
    ),
    ErrorCode.INVALID_PHONE: ("The phone number is not a mobile number.", "Highlight the phone field."),
    ErrorCode.WEAK_PASSWORD: (
        "The new password is too short, too common, all digits or letters, or contains the phone.",
        "Show the message under the password field.",
    ),
    ErrorCode.PHONE_TAKEN: ("An account with this phone exists.", "Offer to sign in instead."),
    ErrorCode.INVALID_CREDENTIALS: (
        "Phone or password is wrong (also for unknown phones and disabled accounts, on purpose).",
        "Say so without saying which; offer to try again.",
    ),
    ErrorCode.TOO_MANY_ATTEMPTS: (
        "Too many failed sign-ins for this phone; it is locked for a while.",
        "Show the message (it says how long); do not retry automatically.",
    ),
    ErrorCode.INVALID_REFRESH_TOKEN: (
        "The refresh token is unknown, expired, revoked, or was already used (its session is ended).",
        "Drop the stored tokens and show the sign-in screen.",
    ),
    ErrorCode.INVITE_INVALID: (
        "The invite code does not exist, was revoked, or is for another community.",
        "Ask the person to check the code with the community office.",
    ),
    ErrorCode.INVITE_EXPIRED: ("The invite code has expired.", "Ask for a new code."),
    ErrorCode.INVITE_USED_UP: ("The invite code has been used as often as allowed.", "Ask for a new code."),
    ErrorCode.ALREADY_MEMBER: (
        "The person already belongs to the community with these roles.",
        "Go to the community's home screen.",
    ),
    ErrorCode.NOT_FOUND: (
        "The id is well formed but names nothing you can see: the object does not exist or is not "
        "visible to you (another community's objects look the same).",
        "Show 'not found'; refresh the list the id came from.",
    ),
    ErrorCode.NAME_TAKEN: ("A sibling place already has this name.", "Highlight the name field."),
    ErrorCode.INVALID_PARENT: (
        "The parent id names something that cannot hold this kind of place.",
        "A bug in the app: report it.",
    ),
    ErrorCode.INVALID_AMOUNT: (
        "A number of points or a cost is zero, negative or above the limit.",
        "Highlight the field named by `field`.",
    ),
    ErrorCode.UNKNOWN_ACCOUNT: (
        "The person has no points account in this community (not a member).",
        "Refresh the member list; the person may have left.",
    ),
    ErrorCode.INSUFFICIENT_POINTS: (
        "The balance is lower than the cost or the deduction.",
        "Show the balance and the cost; nothing was spent.",
    ),
    ErrorCode.OUT_OF_STOCK: ("The reward has no stock left.", "Refresh the catalog; offer other rewards."),
    ErrorCode.OVER_MONTHLY_LIMIT: (
        "The person reached this reward's limit for the month.",
        "Say when the limit resets (the first of next month).",
    ),
    ErrorCode.REWARD_UNAVAILABLE: (
        "The reward is not offered now (inactive or outside its window).",
        "Refresh the catalog.",
    ),
    ErrorCode.ALREADY_FULFILLED: (
        "This pickup code was handed over already.",
        "Staff: tell the person it was collected; nothing changed.",
    ),
    ErrorCode.REDEMPTION_CLOSED: (
        "The redemption is no longer pending (cancelled, expired or handed over).",
        "Refresh the redemption; its status says which.",
    ),
    ErrorCode.ALREADY_REVERSED: ("The transfer was reversed before; it can be reversed once.", "Refresh."),
    ErrorCode.NOT_REVERSIBLE: (
        "This kind of transfer is not reversed by hand (refunds and reversals follow their own rules).",
        "Hide the reverse action for it.",
    ),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: (
        "The idempotency key was used before with a different input.",
        "A bug in the app: use a new key for every new action, the same key only for retries.",
    ),
    ErrorCode.INVALID_RULES: ("The points rules sent are not consistent (`field` says where).", "Show it."),
    ErrorCode.CONFLICT: (
        "Someone changed the same thing at the same moment.",
        "Reload and try again.",
    ),
    ErrorCode.INVALID_TRANSITION: (
        "The report is not in a state that allows this step (e.g. claiming a cancelled report).",
        "Refresh the report; its state and timeline say what happened.",
    ),
    ErrorCode.ALREADY_CLAIMED: (
        "Another repairer claimed the report first.",
        "Refresh the queue; the order is taken.",
    ),
    ErrorCode.NOT_REPORTER: (
        "Only the person who reported (or the resident it was reported for) may do this.",
        "Hide the action for others.",
    ),
    ErrorCode.NOT_CLAIMER: ("Only the repairer who claimed the report may do this.", "Hide the action."),
    ErrorCode.REOPEN_WINDOW_CLOSED: (
        "A fix can be reopened within 7 days of its resolution; this one is older.",
        "Offer to file a new report instead.",
    ),
    ErrorCode.DUPLICATE_REPORT: (
        "The same problem is already reported at this place; `existingReport` in the payload names it.",
        "Show the existing report and offer 'me too' (reportMeToo).",
    ),
    ErrorCode.OWN_REPORT: ("'Me too' on your own report.", "Hide 'me too' on the person's own reports."),
    ErrorCode.RATE_LIMITED: (
        "Too many sign-ins, registrations, reports or redemptions from this account or network "
        "address; `retryAfterSeconds` says when to try again.",
        "Show when they can try again (do not retry before); for an urgent report, suggest calling "
        "the community office.",
    ),
    ErrorCode.PHOTO_INVALID: (
        "A file is not a JPEG, PNG or WebP picture (checked by content, not by name).",
        "Ask for another photo.",
    ),
    ErrorCode.PHOTO_TOO_LARGE: ("A photo is over the size limit (8 MB).", "Compress it before upload."),
    ErrorCode.TOO_MANY_PHOTOS: ("More than 6 photos on one report.", "Let the person pick at most 6."),
    ErrorCode.TAG_CODE_INVALID: (
        "The scanned code is not one we printed (forged, altered or cut short).",
        "Say the code is not a Red Steward code; ask the person to rescan.",
    ),
    ErrorCode.TAG_REVOKED: (
        "The code was withdrawn or replaced by a new sticker.",
        "Say the sticker is out of date and that the community office has been told of it.",
    ),
    ErrorCode.TAG_EXISTS: (
        "The place or asset already has an active tag.",
        "Staff: reissue the existing tag if the sticker is lost.",
    ),
    ErrorCode.NOT_TEAM_MEMBER: (
        "You are not a member of this activity's team (and no emergency call-out opens it to all).",
        "Offer to ask to join the team.",
    ),
    ErrorCode.CHECKIN_CODE_INVALID: (
        "The scanned code is not a check-in code of this server (mistyped, forged, or from the future).",
        "Ask the volunteer to scan the captain's screen again.",
    ),
    ErrorCode.CHECKIN_CODE_EXPIRED: (
        "The check-in code is more than one 30-second step old (a photo or forwarded screenshot).",
        "Ask the volunteer to scan the captain's screen as it is now.",
    ),
    ErrorCode.CHECKIN_CODE_WRONG_ACTIVITY: (
        "The code belongs to another activity than the one on the screen.",
        "Ask the volunteer to scan the code of the right captain.",
    ),
    ErrorCode.CARD_INVALID: (
        "The personal card is not valid: misread, forged, replaced by a newer card, or of another community.",
        "Check the volunteer in by hand, and have a new card printed.",
    ),
    ErrorCode.OUTSIDE_ACTIVITY_WINDOW: (
        "The activity does not take check-ins or check-outs now (too early, or already over).",
        "Show the activity's times.",
    ),
    ErrorCode.ACTIVITY_FULL: ("The activity has as many people as its capacity.", "Say so; nothing changed."),
    ErrorCode.SIGNUP_REQUIRED: (
        "This activity takes only the people on its sign-up list.",
        "Offer to sign up (while places are left).",
    ),
    ErrorCode.NOT_CHECKED_IN: (
        "There is no check-in to close for you (or the named volunteer) at this activity.",
        "Check in first.",
    ),
    ErrorCode.ATTENDANCE_OPEN: (
        "The volunteer has not checked out yet, so there is no time to approve.",
        "Wait for the check-out, or adjust the attendance with the minutes served.",
    ),
    ErrorCode.ALREADY_DECIDED: (
        "The attendance was approved, adjusted or rejected before, differently.",
        "Refresh the attendance; its status says what was decided.",
    ),
    ErrorCode.LOG_KIND_MISMATCH: (
        "This kind of log does not fit the activity (a patrol log for a class).",
        "A bug in the app: offer the log form of the activity's kind.",
    ),
    ErrorCode.ALREADY_SUPPORTED: (
        "You already support this opinion; support counts once per person.",
        "Show the opinion as supported.",
    ),
    ErrorCode.OWN_OPINION: ("You cannot support your own opinion.", "Hide the support button on your own."),
    ErrorCode.ALREADY_CORRECTED: (
        "This account entry was corrected already; only the latest correction can be corrected.",
        "Refresh the statement and correct the entry in force.",
    ),
    ErrorCode.ALREADY_ANSWERED: ("You answered this survey already.", "Show the survey as answered."),
    ErrorCode.SURVEY_CLOSED: (
        "The survey is not open (not yet, or no longer).",
        "Refresh the survey list; show when it opens or that it closed.",
    ),
    ErrorCode.ALREADY_VOTED: ("You voted on this topic already; a vote is not changed.", "Show your vote."),
    ErrorCode.HOUSEHOLD_ALREADY_VOTED: (
        "This topic takes one vote per household, and someone of your household voted.",
        "Show that your household has voted.",
    ),
    ErrorCode.NO_HOUSEHOLD: (
        "This topic takes one vote per household and your membership names no household.",
        "Ask the community office to link your home.",
    ),
    ErrorCode.VOTING_CLOSED: ("The topic is closed; votes are no longer taken.", "Show the results."),
    ErrorCode.NOT_IN_SCOPE: (
        "You asked for the board of a team, building or entrance you are not part of.",
        "Offer the boards of your own team, building and entrance, or the community's.",
    ),
    ErrorCode.ALREADY_INSPECTED: (
        "You already inspected this entrance today (one inspection per inspector, entrance and day).",
        "Say so; nothing was recorded. Come back tomorrow.",
    ),
    ErrorCode.MONTH_NOT_ENDED: (
        "The month asked to close has not ended yet in the community's time zone.",
        "Show the live provisional standing instead; close after the month ends.",
    ),
    ErrorCode.FEE_OVERPAID: (
        "The amount is more than the chosen bills still owe (after any offer); nothing was recorded.",
        "Show what is owed (the message says it); let the office correct the amount.",
    ),
    ErrorCode.FEE_BILL_SETTLED: (
        "A chosen bill is already paid or waived (perhaps by another office a moment ago).",
        "Refresh the household's bills; nothing was recorded.",
    ),
    ErrorCode.FEE_BILL_PAID: (
        "The bill was paid in full or in part, so it cannot be waived; nothing was changed.",
        "Show the bill's payments; to let the household off, reverse them first, then waive.",
    ),
    ErrorCode.FEE_NO_SCHEDULE: (
        "The community has no fee schedule in force for that date, so no bill can be made.",
        "Ask the office to set the fee schedule first.",
    ),
    ErrorCode.FEE_PERIOD_BILLED: (
        "A schedule change would apply to a period already billed; issued bills keep their price.",
        "Choose a start date after the last billed period.",
    ),
    ErrorCode.OUT_OF_JURISDICTION: (
        "You hold a street or district role, but this belongs to another street, department or "
        "district, or to a role you do not hold.",
        "Hide the action for this item; show the message.",
    ),
    ErrorCode.ALREADY_REFERRED: (
        "This report was referred to the street already; a report is referred once.",
        "Open the report's dispatch and follow it on the timeline.",
    ),
    ErrorCode.NOT_IN_A_STREET: (
        "The community is not linked to a street yet, so there is nobody to refer to.",
        "Handle it in the community; ask the district office to link the community.",
    ),
    ErrorCode.OUTSIDE_DISTRICT: (
        "The location (or the tag's compound) is outside the district you report for.",
        "Check the location; report it through that district's own channels.",
    ),
    ErrorCode.LOCATION_UNKNOWN: (
        "Neither the location nor the address names a street or compound of the district.",
        "Turn on location, or write the street's or compound's name in the address.",
    ),
}

# extensions.code of top-level errors and of gate refusals
TOP_LEVEL_ERRORS: dict[str, tuple[str, str]] = {
    "UNAUTHENTICATED": (
        "No valid access token: missing where needed, expired, or refused.",
        "Refresh the session once with sessionRefresh and retry; if that fails, show sign-in.",
    ),
    "FORBIDDEN": (
        "You are signed in but your roles do not allow this.",
        "Hide the action; show the message.",
    ),
    "INTERNAL_ERROR": (
        "A fault on the server; the message quotes a request id.",
        "Show a generic error with the request id; retrying later is safe for idempotent calls.",
    ),
    "GRAPHQL_VALIDATION_FAILED": (
        "The document is not valid against the schema (an unknown field or argument, a required "
        "argument left out, a literal of the wrong type, a variable undeclared, unused or of the "
        "wrong type: `extensions.field` names it), or exceeds depth/alias/token limits. "
        "`extensions.detail` keeps graphql-core's English for developers.",
        "A bug in the app: the contract tests should have caught it.",
    ),
    "BAD_USER_INPUT": (
        "A variable could not be read as its declared type: missing, null where required, of the "
        "wrong type (text for a number, a date not YYYY-MM-DD), an unknown enum value, an input "
        "field unknown or left out. `extensions.field` names it as payload errors do (`phone`, "
        "`ids.2`: a mutation's `input.` left out), the message says what was expected, "
        "`extensions.detail` keeps graphql-core's English without the values sent. Nothing was run.",
        "A bug in the app; show the message if a person typed the value.",
    ),
    "INVALID_INPUT": (
        "A list argument such as `first` or `after` is out of range, a text input holds a control "
        "character (NUL, ESC…), or a query's id argument is no id of the expected kind "
        "(`extensions.field` names it). Nothing was run or written.",
        "A bug in the app for lists; for text, strip control characters from what people type.",
    ),
    "QUERY_TOO_COSTLY": (
        "The document asks for too many items: each connection's `first` times the `first` of the "
        "connections around it is over the budget (200,000). Nothing was run.",
        "Ask for smaller pages; the app's own operations fit at any `first` up to 100.",
    ),
    "TOO_MANY_TOKENS": ("The document is longer than 2,000 tokens.", "A bug in the app."),
    "GRAPHQL_PARSE_FAILED": (
        "The document is not valid GraphQL syntax; the message says where, `extensions.detail` what.",
        "A bug in the app.",
    ),
    "OPERATION_NAME_REQUIRED": (
        "The document holds several operations and no `operationName` says which to run.",
        "Send `operationName` (the app's documents hold one operation each).",
    ),
    "PERSISTED_QUERY_NOT_FOUND": (
        "The sha256Hash is not in the server's manifest (an app newer or older than the server).",
        "Update the app, or send the full document in development.",
    ),
    "PERSISTED_QUERY_MISMATCH": ("The query sent does not hash to the sha256Hash sent.", "A bug in the app."),
    "PERSISTED_QUERY_REQUIRED": (
        "Production serves only the app's registered operations.",
        "Send `extensions.persistedQuery.sha256Hash` from persisted-queries.json.",
    ),
    "BATCHING_NOT_SUPPORTED": ("A JSON array of operations was sent.", "Send one operation per request."),
    "PAYLOAD_TOO_LARGE": ("The request body is over the limit.", "Shrink it (smaller photos)."),
    "UNSUPPORTED_MEDIA_TYPE": (
        "GraphQL must be sent as application/json (or multipart/form-data for uploads).",
        "A bug in the app.",
    ),
    "METHOD_NOT_ALLOWED": ("Production accepts GraphQL over POST only.", "A bug in the app."),
    "BAD_REQUEST": (
        "The body (or a WebSocket subscribe payload) is not a JSON object with a query or a hash.",
        "A bug in the app.",
    ),
    "UPLOAD_INVALID": (
        "A multipart upload cannot be read: no boundary, no `operations` or `map` part, "
        "invalid JSON in them, or `map` naming a file part that is not there.",
        "A bug in the app: follow the GraphQL multipart request spec (README, Uploads).",
    ),
    "UPLOAD_TOO_MANY_FILES": (
        "More file parts in one upload than the server reads (12).",
        "Send at most six photos per mutation, one request each.",
    ),
}


def render_errors_md() -> str:
    lines = [
        "# Error codes",
        "",
        "Generated by `redsteward export-contract` from `api/error_guide.py`; do not edit by hand.",
        "",
        "## Language",
        "",
        "Programs read `code`: a stable English identifier. `message` is for people and follows the",
        "request's `Accept-Language` (q-values honoured): Simplified Chinese by default, English for",
        "`en`. Over a WebSocket, the upgrade request's header counts, or `Accept-Language` in the",
        "`connection_init` payload (flat or under `headers`). The same holds for `Notification.text`",
        "and the system's notes in `Report.timeline`; answers carry `Content-Language`.",
        "",
        "## In a payload: `errors { code message field }`",
        "",
        "Nothing was changed. `field` names the input field at fault, when there is one.",
        "",
        "| code | meaning | what the app should do |",
        "|---|---|---|",
    ]
    lines += [f"| `{code}` | {meaning} | {action} |" for code, (meaning, action) in PAYLOAD_ERRORS.items()]
    lines += [
        "",
        "## Top level: `errors[].extensions.code`",
        "",
        "For faults, authentication and permission, and requests refused before execution.",
        "",
        "| code | meaning | what the app should do |",
        "|---|---|---|",
    ]
    lines += [f"| `{code}` | {meaning} | {action} |" for code, (meaning, action) in TOP_LEVEL_ERRORS.items()]
    return "\n".join(lines) + "\n"
