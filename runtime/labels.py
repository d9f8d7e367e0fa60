"""The words for enum values that people read (a report's category, why it was rejected).

A text never shows a raw value such as `illegal_construction`: it carries the value's Label,
which the edge renders in the reader's language like any other text (runtime.i18n). The
English word is the message id; its context (the enum's name) keeps apart words spelt alike in
English that Chinese says differently ("other" category vs "other" topic). The API still sends
the enum values themselves where a program reads them; these words are for sentences.
"""

from __future__ import annotations

from enum import StrEnum

from models.abuse import AbuseFlagState
from models.district import DispatchState
from models.enums import ReportCategory, Role
from models.reports import RejectReason, ReportState
from models.rewards import RedemptionStatus
from models.teams import AttendanceStatus, LogKind, TeamKind
from models.voice import OpinionStatus, OpinionTopic
from runtime.i18n import Label, label

WORDS: dict[type[StrEnum], dict[str, Label]] = {
    ReportCategory: {
        ReportCategory.LIGHTING: label("ReportCategory", "lighting"),
        ReportCategory.PLUMBING: label("ReportCategory", "plumbing"),
        ReportCategory.ELECTRICAL: label("ReportCategory", "electrical"),
        ReportCategory.ILLEGAL_CONSTRUCTION: label("ReportCategory", "illegal construction"),
        ReportCategory.SNOW_ICE: label("ReportCategory", "snow and ice"),
        ReportCategory.SANITATION: label("ReportCategory", "sanitation"),
        ReportCategory.PARKING: label("ReportCategory", "parking"),
        ReportCategory.PUBLIC_FACILITY: label("ReportCategory", "public facility"),
        ReportCategory.SAFETY_HAZARD: label("ReportCategory", "safety hazard"),
        ReportCategory.OTHER: label("ReportCategory", "other"),
    },
    RejectReason: {
        RejectReason.DUPLICATE: label("RejectReason", "a duplicate"),
        RejectReason.INVALID: label("RejectReason", "not a valid report"),
    },
    ReportState: {
        ReportState.OPEN: label("ReportState", "open"),
        ReportState.CLAIMED: label("ReportState", "claimed"),
        ReportState.RESOLVED: label("ReportState", "resolved"),
        ReportState.CONFIRMED: label("ReportState", "confirmed"),
        ReportState.REOPENED: label("ReportState", "reopened"),
        ReportState.REJECTED: label("ReportState", "rejected"),
        ReportState.CANCELLED: label("ReportState", "cancelled"),
    },
    Role: {
        Role.RESIDENT: label("Role", "resident"),
        Role.VOLUNTEER: label("Role", "volunteer"),
        Role.CAPTAIN: label("Role", "captain"),
        Role.REPAIRER: label("Role", "repairer"),
        Role.CLEANER: label("Role", "cleaner"),
        Role.STAFF: label("Role", "staff"),
        Role.ADMIN: label("Role", "admin"),
        Role.OBSERVER: label("Role", "home observer"),
        Role.MEDIATOR: label("Role", "mediator"),
    },
    TeamKind: {
        TeamKind.REPAIR: label("TeamKind", "repair team"),
        TeamKind.RIVER_PATROL: label("TeamKind", "river patrol"),
        TeamKind.TUTORING: label("TeamKind", "after-school class"),
        TeamKind.MEDIATION: label("TeamKind", "mediation room"),
        TeamKind.SNOW_CLEARING: label("TeamKind", "snow-clearing squad"),
        TeamKind.MUTUAL_AID: label("TeamKind", "mutual aid"),
        TeamKind.OBSERVERS: label("TeamKind", "observers"),
        TeamKind.CLEANING: label("TeamKind", "cleaning"),
    },
    LogKind: {
        LogKind.PATROL: label("LogKind", "patrol"),
        LogKind.TUTORING: label("LogKind", "tutoring"),
        LogKind.MEDIATION: label("LogKind", "mediation"),
        LogKind.SNOW_CLEARING: label("LogKind", "snow clearing"),
        LogKind.CLEANING: label("LogKind", "cleaning"),
    },
    AttendanceStatus: {
        AttendanceStatus.OPEN: label("AttendanceStatus", "checked in"),
        AttendanceStatus.CLOSED: label("AttendanceStatus", "checked out"),
        AttendanceStatus.AUTO_CLOSED: label("AttendanceStatus", "closed by the system"),
        AttendanceStatus.APPROVED: label("AttendanceStatus", "approved"),
        AttendanceStatus.ADJUSTED: label("AttendanceStatus", "adjusted"),
        AttendanceStatus.REJECTED: label("AttendanceStatus", "rejected"),
    },
    AbuseFlagState: {
        AbuseFlagState.OPEN: label("AbuseFlagState", "open"),
        AbuseFlagState.DISMISSED: label("AbuseFlagState", "dismissed"),
        AbuseFlagState.CONFIRMED: label("AbuseFlagState", "confirmed"),
    },
    OpinionTopic: {
        OpinionTopic.PARKING: label("OpinionTopic", "parking"),
        OpinionTopic.GREENING: label("OpinionTopic", "greening"),
        OpinionTopic.NOISE: label("OpinionTopic", "noise"),
        OpinionTopic.SANITATION: label("OpinionTopic", "sanitation"),
        OpinionTopic.SAFETY: label("OpinionTopic", "safety"),
        OpinionTopic.FACILITIES: label("OpinionTopic", "facilities"),
        OpinionTopic.FEES: label("OpinionTopic", "fees"),
        OpinionTopic.SERVICE: label("OpinionTopic", "service"),
        OpinionTopic.OTHER: label("OpinionTopic", "other"),
    },
    OpinionStatus: {
        OpinionStatus.OPEN: label("OpinionStatus", "open"),
        OpinionStatus.ADOPTED: label("OpinionStatus", "adopted"),
        OpinionStatus.DONE: label("OpinionStatus", "done"),
        OpinionStatus.ANSWERED: label("OpinionStatus", "answered"),
        OpinionStatus.DECLINED: label("OpinionStatus", "declined"),
    },
    DispatchState: {
        DispatchState.REFERRED: label("DispatchState", "waiting for the street to claim it"),
        DispatchState.STREET_CLAIMED: label("DispatchState", "claimed by the street"),
        DispatchState.DISPATCHED: label("DispatchState", "dispatched to a department"),
        DispatchState.IN_PROGRESS: label("DispatchState", "being handled by the department"),
        DispatchState.FED_BACK: label("DispatchState", "fed back by the department"),
        DispatchState.CONFIRMED: label("DispatchState", "confirmed"),
        DispatchState.COORDINATION: label("DispatchState", "with the district coordinator"),
        DispatchState.SENT_BACK: label("DispatchState", "sent back to the community"),
    },
    RedemptionStatus: {
        RedemptionStatus.PENDING: label("RedemptionStatus", "waiting to be handed over"),
        RedemptionStatus.FULFILLED: label("RedemptionStatus", "handed over"),
        RedemptionStatus.CANCELLED: label("RedemptionStatus", "cancelled"),
        RedemptionStatus.EXPIRED: label("RedemptionStatus", "expired"),
    },
}


def word(value: StrEnum | str, enum: type[StrEnum] | None = None) -> Label | str:
    """The word for an enum value, to put in a text's parameters. A plain string (a value read
    back from an event's data) needs its enum named; an unknown value is returned as it is."""
    kind = enum or type(value)
    words = WORDS.get(kind)  # type: ignore[arg-type]
    found = words.get(str(value)) if words else None
    return found if found is not None else str(value)
