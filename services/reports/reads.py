"""Batched reads behind the DataLoaders of a report's nested fields: one query per field for a
whole page of reports. Callers have checked the viewer may see each report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from tortoise.functions import Count

from models.reports import ReportMaterial, ReportMeToo, ReportPhoto


async def me_too_counts(report_ids: Sequence[int]) -> list[int]:
    rows: list[Any] = (
        await ReportMeToo.filter(report_id__in=list(set(report_ids)))
        .annotate(n=Count("id"))
        .group_by("report_id")
        .values("report_id", "n")
    )
    counts = {row["report_id"]: row["n"] for row in rows}
    return [counts.get(rid, 0) for rid in report_ids]


async def me_too_of_user(keys: Sequence[tuple[int, int]]) -> list[bool]:
    """Keys are (report id, user id)."""
    users = {user_id for _, user_id in keys}
    rows: list[Any] = await ReportMeToo.filter(
        report_id__in=list({rid for rid, _ in keys}), user_id__in=list(users)
    ).values_list("report_id", "user_id")
    found = {(int(r), int(u)) for r, u in rows}
    return [key in found for key in keys]


async def photos_by_report(report_ids: Sequence[int]) -> list[list[ReportPhoto]]:
    grouped: dict[int, list[ReportPhoto]] = defaultdict(list)
    for row in await ReportPhoto.filter(report_id__in=list(set(report_ids))).order_by("id"):
        grouped[row.report_id].append(row)
    return [grouped.get(rid, []) for rid in report_ids]


async def materials_by_report(report_ids: Sequence[int]) -> list[list[ReportMaterial]]:
    grouped: dict[int, list[ReportMaterial]] = defaultdict(list)
    for row in await ReportMaterial.filter(report_id__in=list(set(report_ids))).order_by("id"):
        grouped[row.report_id].append(row)
    return [grouped.get(rid, []) for rid in report_ids]
