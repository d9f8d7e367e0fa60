"""Cleaners inspect every entrance each month (scanning its tag), the months close: the civilized
corridor flag goes to the best entrance with its breakdown, and the monthly ranking bonuses are
paid, both through services.flag and the points engine, at the moment each month ended."""

from __future__ import annotations

from datetime import timedelta

from models.enums import TagTargetKind
from models.tags import Tag
from services import corridor_flag, inspections, tags
from services.demo.story import Story

# Some entrances are kept spotless by their neighbours: they score high every month.
SPOTLESS_EVERY = 9
NOTES = {
    5: "干净整洁，无杂物",
    4: "基本整洁，个别小广告",
    3: "有堆放杂物，已提醒住户",
    2: "楼道堆物较多，需整改",
}


async def seed(story: Story) -> None:
    rng = story.rng
    community_id = story.community.id
    codes = {
        int(str(tag.entrance_id)): tags.code_of(tag)
        for tag in await Tag.filter(
            community_id=community_id, target_kind=TagTargetKind.ENTRANCE, revoked_at__isnull=True
        )
    }
    cleaners = story.cast.cleaners
    photo = _photo()
    for back in (2, 1, 0):
        days = story.days_in(back)
        for position, entrance_id in enumerate(story.entrances):
            # Twice a month, two weeks apart: the flag needs two inspections of an entrance.
            first_day = 1 + (position * 3) % 14
            for turn, day in enumerate((first_day, first_day + 14)):
                if back == 0 and day >= days:
                    continue  # not this entrance's turn yet this month
                moment = story.local(back, day, 9) + timedelta(minutes=position % 60)
                if moment >= story.now:
                    continue
                story.at(moment)
                spotless = position % SPOTLESS_EVERY == 0
                score = 5 if spotless else rng.choice((3, 4, 4, 4, 5, 5, 2))
                cleaner = await story.viewer(cleaners[(position + turn) % len(cleaners)])
                await inspections.record_inspection(
                    cleaner,
                    codes[entrance_id],
                    score,
                    NOTES[score],
                    [photo] if position % 10 == 0 else (),
                )
    for back in (2, 1):
        story.at(story.month_start(back - 1) + timedelta(hours=1))
        await corridor_flag.close_month(community_id, story.month_name(back))


def _photo() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (96, 72), (230, 230, 220)).save(out, format="JPEG", quality=80)
    return out.getvalue()
