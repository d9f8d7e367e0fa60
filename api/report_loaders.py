"""DataLoaders of reports' nested fields, created once per request with the others."""

from __future__ import annotations

from functools import partial

from strawberry.dataloader import DataLoader

from api.loaders import _counts, _pages
from models.reports import Report, ReportEvent
from services.places import rows_by_ids
from services.reports import reads as report_reads


class ReportLoaders:
    def __init__(self) -> None:
        self.report_by_id = DataLoader(partial(rows_by_ids, Report))
        self.me_too_count_by_report = DataLoader(report_reads.me_too_counts)
        self.me_too_by_report_and_user = DataLoader(report_reads.me_too_of_user)
        self.photos_by_report = DataLoader(report_reads.photos_by_report)
        self.materials_by_report = DataLoader(report_reads.materials_by_report)
        self.events_by_report = DataLoader(_pages(ReportEvent, "report_id"))
        self.event_count_by_report = DataLoader(_counts(ReportEvent, "report_id"))
