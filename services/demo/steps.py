"""The demo's steps, in the order they run. Each story step is `async (Story) -> None`, runs at the
moments it chooses on the story's clock, and goes through the services.

Adding to the demo is adding a step here. Property fees (issue 20) come after the reports and
before the books: a year of quarterly bills per household up to the story's "now", payments with
receipts, the prepay offer and some arrears; the public accounts read each month's fee income from
those payments, as they read repair materials from the reports. The district (issue 21) comes
last: its streets link the two communities once their own story is told, so the communities'
reports of the months before were not referred by the clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from runtime.i18n import N_
from services.demo import (
    activities,
    books,
    district,
    fees,
    inspections,
    mediation,
    reports,
    rewards,
    tags,
    teams,
    voice,
)
from services.demo.story import Story


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # shown on the progress bar: a message id, said in the reader's language
    run: Callable[[Story], Awaitable[None]]


STORY_STEPS: tuple[Step, ...] = (
    Step("tags", N_("QR tags"), tags.seed),
    Step("teams", N_("volunteer teams and their members"), teams.seed),
    Step(
        "activities", N_("activities, check-ins, reviews, logs and the snowstorm call-out"), activities.seed
    ),
    Step("reports", N_("repair reports"), reports.seed),
    Step("inspections", N_("corridor inspections, the flag and the monthly bonuses"), inspections.seed),
    Step("rewards", N_("the reward shop and redemptions"), rewards.seed),
    Step("voice", N_("opinions, the round table and satisfaction surveys"), voice.seed),
    Step("mediation", N_("home observers' visits and the mediation room"), mediation.seed),
    Step("fees", N_("a year of property fee bills and payments"), fees.seed),
    Step("books", N_("the public accounts and the notice board"), books.seed),
    Step(
        "district",
        N_("the demo district: streets, departments, the outpost's snapshots and three-level dispatch"),
        district.seed_story,
    ),
)
