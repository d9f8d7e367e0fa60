"""The home observer's walk and a case of the mediation room, as the app sends them: part of the
day in the life (tests/contract/test_day_in_the_life.py), which must send every operation."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class Runs(Protocol):
    async def run(self, name: str, token: str | None = None, **variables: Any) -> dict[str, Any]: ...


async def observers_and_mediation(
    app: Runs,
    staff: str,
    observer: tuple[str, str],
    mediator: tuple[str, str],
    resident: str,
    cid: str,
    compound_id: str,
    households: list[str],
    today: date,
) -> None:
    """`observer` and `mediator` are (token, user id); `households` the two sides of a dispute."""
    observer_token, observer_id = observer
    mediator_token, mediator_id = mediator
    # The office posts an observer to the compound and appoints a mediator.
    posted = await app.run("ObserverAppoint", staff, input={"compoundId": compound_id, "userId": observer_id})
    assert posted["observerAppoint"]["post"]["compound"] == compound_id
    assert (await app.run("MediatorAppoint", staff, input={"communityId": cid, "userId": mediator_id}))[
        "mediatorAppoint"
    ]["appointed"]
    posts = (await app.run("ObserverPosts", resident, communityId=cid))["observerPosts"]
    assert [p["observer"] for p in posts] == [observer_id]

    # The observer walks the compound: residents ask for a bench; two neighbours argue over a leak.
    visit = (
        await app.run(
            "ObserverVisitRecord",
            observer_token,
            input={
                "compoundId": compound_id,
                "spot": "小区中心花园",
                "seen": "老人没有地方歇脚；两户因漏水争吵",
                "idempotencyKey": "visit-1",
            },
        )
    )["observerVisitRecord"]["visit"]
    await app.run(
        "ObserverOpinionTake",
        observer_token,
        input={
            "visitId": visit["id"],
            "kind": "SUGGESTION",
            "topic": "FACILITIES",
            "text": "花园里加几张长椅",
        },
    )
    stepped = (
        await app.run(
            "ObserverDisputeStepIn",
            observer_token,
            input={
                "visitId": visit["id"],
                "category": "WATER_LEAK",
                "summary": "楼上漏水到楼下",
                "settledOnSpot": False,
            },
        )
    )["observerDisputeStepIn"]["intervention"]
    referred = (
        await app.run(
            "ObserverDisputeRefer",
            observer_token,
            input={
                "interventionId": stepped["id"],
                "partyHouseholdIds": households,
                "mediatorIds": [mediator_id],
            },
        )
    )["observerDisputeRefer"]["case"]
    visits = (await app.run("ObserverVisits", observer_token, communityId=cid))["observerVisits"]
    assert visits["nodes"][0]["interventions"][0]["case"] == referred["id"]

    # The office opens a second case by hand; the mediator works the first to settled.
    opened = (
        await app.run(
            "MediationCaseOpen",
            staff,
            input={
                "communityId": cid,
                "category": "NOISE",
                "summary": "夜间装修噪音",
                "partyHouseholdIds": households[:1],
                "mediatorIds": [mediator_id],
            },
        )
    )["mediationCaseOpen"]["case"]
    # The observer mediates too: the office adds them to the new case while it is open.
    await app.run("MediatorAppoint", staff, input={"communityId": cid, "userId": observer_id})
    changed = (
        await app.run(
            "MediationCaseMediatorsSet",
            staff,
            input={"caseId": opened["id"], "mediatorIds": [mediator_id, observer_id]},
        )
    )["mediationCaseMediatorsSet"]
    assert changed["errors"] == [] and len(changed["case"]["mediators"]) == 2
    day = today.isoformat()
    case_id = referred["id"]
    await app.run(
        "MediationSessionRecord",
        mediator_token,
        input={"caseId": case_id, "heldOn": day, "attended": "两户户主、调解员", "idempotencyKey": "s-1"},
    )
    await app.run(
        "MediationAgreementRecord",
        mediator_token,
        input={"caseId": case_id, "agreement": "楼上负责维修", "signedOn": day},
    )
    await app.run(
        "MediationFollowUpRecord",
        mediator_token,
        input={"caseId": case_id, "visitedOn": day, "note": "已修好"},
    )
    closed = (
        await app.run("MediationCaseClose", mediator_token, input={"caseId": case_id, "outcome": "SETTLED"})
    )["mediationCaseClose"]["case"]
    assert closed["state"] == "SETTLED"
    await app.run(
        "MediationCaseClose",
        mediator_token,
        input={"caseId": opened["id"], "outcome": "REFERRED", "note": "转街道"},
    )
    # Their cases closed, the observer stands down from the room, and from the compound.
    stood = await app.run("MediatorStandDown", staff, input={"communityId": cid, "userId": observer_id})
    assert stood["mediatorStandDown"]["stoodDown"]
    mine = (await app.run("MediationCases", mediator_token, communityId=cid))["mediationCases"]
    assert mine["totalCount"] == 2
    assert (await app.run("MediationCase", staff, id=case_id))["mediationCase"]["agreement"] == "楼上负责维修"
    counts = (await app.run("MediationCounts", resident, communityId=cid, year=today.year))["mediationCounts"]
    assert counts["settled"] >= 1  # and the demo's logs of the mediation team, if it kept any
    month = today.strftime("%Y-%m")
    found = (await app.run("ObserverMonthCounts", resident, communityId=cid, month=month))[
        "observerMonthCounts"
    ]
    assert (found["visits"], found["disputesReferred"]) == (1, 1), found
    # A second observer is posted to the compound and moves away. (Not the first: the stock
    # clients' test replays every query of the day at its end, the first observer's reading of
    # their visits included, which a stood-down observer may no longer do.)
    second = {"compoundId": compound_id, "userId": mediator_id}
    assert (await app.run("ObserverAppoint", staff, input=second))["observerAppoint"]["post"]
    down = {**second, "reason": "搬离小区"}
    assert (await app.run("ObserverStandDown", staff, input=down))["observerStandDown"]["stoodDown"]
    posts = (await app.run("ObserverPosts", resident, communityId=cid))["observerPosts"]
    assert [p["observer"] for p in posts] == [observer_id]
