"""`redsteward seed-demo`: 红星社区 as it lives, and 滨河社区 beside it to show isolation.

The register (places, households with their areas, accounts) is written in bulk; everything after
it — tags, teams, activities, reports, points, rewards, inspections, the flag, opinions, meetings,
surveys, accounts — is a story told through the services on the project's movable clock, over the
two months before the current one and the current one so far (services.demo.steps lists the
steps). The same seed gives the same community; a second run finds it there and changes nothing.

Measured on the 2-core development machine while shared (load average ~9): `redsteward seed-demo`
takes 41 s on SQLite (14 s of CPU) and 94 s on PostgreSQL (17 s of CPU, the rest waiting on ~47,000
statement round trips); about half of the CPU is the points engine posting each earning.
"""

from services.demo.logins import TRY_FIRST, table
from services.demo.people import DEMO_PASSWORD, LOGIN_LABELS, DemoLogin
from services.demo.run import DEFAULT_SEED, DemoSeedResult, Progress, seed_demo, seed_register

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "LOGIN_LABELS",
    "TRY_FIRST",
    "DemoLogin",
    "DemoSeedResult",
    "Progress",
    "seed_demo",
    "seed_register",
    "table",
]
