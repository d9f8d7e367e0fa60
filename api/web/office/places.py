"""The place register: importing the household register (CSV), the place tree with renames,
tags per building and per compound's assets, revoke and reissue, the printable QR sheet."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from api.web.office.common import Office, office_errors, office_page
from api.web.operations import Problem

PLACE_FIELDS = ("file", "name", "id")


async def _tree(office: Office) -> dict[str, Any]:
    after = office.page.request.query_params.get("after")
    variables: dict[str, Any] = {"communityId": office.cid, "first": 10}
    if after:
        variables["after"] = after
    data = (await office.run("OfficePlaceTree", variables)).data
    return data.get("community") or {}


async def _show(office: Office, status: int = 200, errors: Any = None, **context: Any) -> Response:
    return office.render(
        "office/places.html", "places", "房屋与二维码", status, errors, tree=await _tree(office), **context
    )


@office_page
async def places(office: Office) -> Response:
    params = office.page.request.query_params
    return await _show(office, done=params.get("done"), renamed=params.get("label"))


@office_page
async def register_import(office: Office) -> Response:
    """The register as an uploaded CSV file: every problem listed by line, nothing imported on one."""
    files = office.page.files("file")
    if not files:
        return await _show(office, 400, office_errors([Problem("INVALID_INPUT", "", "file")], PLACE_FIELDS))
    imported = await office.run(
        "OfficePlacesImport", {"input": {"communityId": office.cid, "file": files[0]}}
    )
    payload = imported.payload
    if not imported.ok:
        return await _show(
            office,
            400,
            office_errors(imported.problems, PLACE_FIELDS),
            problems=payload.get("problems") or [],
        )
    return await _show(office, summary=payload.get("summary"))


async def _rename_form(
    office: Office, place_id: str, status: int = 200, errors: Any = None, **context: Any
) -> Response:
    place = (await office.run("OfficePlace", {"id": place_id})).data.get("node")
    if not place or "label" not in place:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这个地方。")
    context.setdefault("values", {"name": place["name"]})
    return office.render(
        "office/place_rename.html",
        "places",
        f"改名：{place['label']}",
        status,
        errors,
        place=place,
        **context,
    )


@office_page
async def rename(office: Office) -> Response:
    """A compound, building or entrance renamed. Every label is computed from the names when it is
    read (services/places/labels.py), so reports, inspections, the flag's standings, tags and
    sheets show the new name at once; notifications already sent keep the name they were sent
    with, as a letter does."""
    page = office.page
    if page.request.method == "GET":
        return await _rename_form(office, page.request.query_params.get("id", ""))
    place_id = page.value("id")
    done = await office.run("OfficePlaceRename", {"input": {"id": place_id, "name": page.value("name")}})
    if not done.ok:
        errors = office_errors(done.problems, PLACE_FIELDS, default="name")
        return await _rename_form(office, place_id, 400, errors, values={"name": page.value("name")})
    return office.done(f"/office/places?done=renamed&label={quote(done.payload['place']['label'])}")


@office_page
async def tags_for_building(office: Office) -> Response:
    building = office.page.value("buildingId")
    done = await office.run("OfficeTagsCreateForBuilding", {"input": {"buildingId": building}})
    if not done.ok:
        return await _show(office, 400, office_errors(done.problems))
    return office.done(f"/office/places/sheet?building={building}")


@office_page
async def tags_for_assets(office: Office) -> Response:
    done = await office.run(
        "OfficeTagsCreateForCompoundAssets", {"input": {"compoundId": office.page.value("compoundId")}}
    )
    if not done.ok:
        return await _show(office, 400, office_errors(done.problems))
    return office.render(
        "office/sheet.html",
        "places",
        "设施二维码",
        tags=done.payload.get("tags") or [],
        heading="本小区设施的二维码",
    )


@office_page
async def tag_revoke(office: Office) -> Response:
    done = await office.run("OfficeTagRevoke", {"input": {"id": office.page.value("tagId")}})
    if not done.ok:
        return await _show(office, 400, office_errors(done.problems))
    return office.done("/office/places?done=revoked")


@office_page
async def tag_reissue(office: Office) -> Response:
    done = await office.run("OfficeTagReissue", {"input": {"id": office.page.value("tagId")}})
    if not done.ok:
        return await _show(office, 400, office_errors(done.problems))
    tag = done.payload["tag"]
    return office.render(
        "office/sheet.html", "places", "补发二维码", tags=[tag], heading=f"补发：{tag['label']}"
    )


@office_page
async def sheet(office: Office) -> Response:
    """A building's codes, laid out to print (the browser's own print; no script needed)."""
    building_id = office.page.request.query_params.get("building", "")
    tree = await _tree(office)
    for compound in (tree.get("compounds") or {}).get("nodes") or []:
        for building in compound["buildings"]["nodes"]:
            if building["id"] == building_id:
                tags = [e["activeTag"] for e in building["entrances"]["nodes"] if e.get("activeTag")]
                heading = f"{compound['name']} {building['name']} 单元二维码"
                return office.render("office/sheet.html", "places", "打印二维码", tags=tags, heading=heading)
    return office.page.render("problem.html", 404, title="没有找到", message="没有找到这栋楼。")


CARE_FIELDS = ("tags",)


async def _entrance(office: Office, entrance_id: str, status: int = 200, errors: Any = None) -> Response:
    after = office.page.request.query_params.get("after")
    variables: dict[str, Any] = {"id": entrance_id, "first": 50, **({"after": after} if after else {})}
    entrance = (await office.run("OfficeEntranceHouseholds", variables)).data.get("node")
    if not entrance:
        return office.page.render("problem.html", 404, title="没有找到", message="没有找到这个单元。")
    label = f"{entrance['building']['compound']['name']} {entrance['building']['name']} {entrance['name']}"
    return office.render(
        "office/entrance.html",
        "places",
        f"住户：{label}",
        status,
        errors,
        entrance=entrance,
        done=office.page.request.query_params.get("done"),
    )


@office_page
async def entrance(office: Office) -> Response:
    """An entrance's households; staff set their care tags (never shown to anyone else)."""
    entrance_id = str(office.page.request.path_params["entrance_id"])
    if office.page.request.method == "GET":
        return await _entrance(office, entrance_id)
    form = office.page.form
    tags = [t for t in (form.getlist("tags") if form else []) if isinstance(t, str)]
    done = await office.run(
        "OfficeHouseholdCareTagsSet",
        {"input": {"householdId": office.page.value("householdId"), "tags": tags}},
    )
    if not done.ok:
        return await _entrance(office, entrance_id, 400, office_errors(done.problems, CARE_FIELDS))
    return office.done(f"/office/places/entrance/{entrance_id}?done=care")
