"""A year of property fees for 红星社区 on the story's clock: the four quarters up to the story's
"now", billed by quarter with about 40% paid, then the prepay offer and about 70% (the seeds'
story, told by services.fees.demo). The public accounts read the month's fee income from these
payments (services.open_books), so the books step types none in."""

from __future__ import annotations

from services.demo.story import Story
from services.fees.demo import seed_fees


async def seed(story: Story) -> None:
    # One draw from the story's random source: the same demo seed gives the same fees.
    fee_seed = story.rng.randrange(1 << 30)
    await seed_fees(story.community.id, story.cast.logins["staff"], story.now, seed=fee_seed, at=story.at)
    story.at(story.now)
