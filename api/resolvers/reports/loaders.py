"""The reports area's DataLoaders: reports, their me-toos, photos, materials and timeline."""

from __future__ import annotations

from functools import partial

from api.resolvers.batching import OnFirstUse, counts, pages
from models.reports import Report, ReportEvent
from services.places import rows_by_ids
from services.reports import reads as report_reads


class ReportLoaders:
    """Made on first use, kept for the request (see api/loaders.py)."""

    report_by_id = OnFirstUse(partial(rows_by_ids, Report))
    me_too_count_by_report = OnFirstUse(report_reads.me_too_counts)
    me_too_by_report_and_user = OnFirstUse(report_reads.me_too_of_user)
    photos_by_report = OnFirstUse(report_reads.photos_by_report)
    materials_by_report = OnFirstUse(report_reads.materials_by_report)
    events_by_report = OnFirstUse(pages(ReportEvent, "report_id"))
    event_count_by_report = OnFirstUse(counts(ReportEvent, "report_id"))
