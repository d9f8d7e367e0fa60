"""Beyond one community (issue 21): streets, districts, departments, three-level dispatch and
the couriers' outpost.

    scope.py      who holds which street/district role, and the checks every service runs
    hierarchy.py  setting up city → district → street → community, departments, roles
    geo.py        which street and compound hold a point or an address
    dispatch.py   referral and dispatch: the states, each a conditional move with its clock
    clocks.py     the dispatch clocks (registered into services.reports.clocks) and the events
                  of community reports that reach the district
    outpost.py    outpost reporters: snapping anywhere in their area, points, the monthly ranking
    rollup.py     the district roll-up per street and level
    rewards.py    the cash rewards of the monthly outpost ranking, in the district's public book
    open311.py    Open311 GeoReport v2, read side, for the district's problems in public space

The demo's district is services.demo.district.

"小事不出社区、大事不出街道": a community's report stays in the community until its staff (or
its missed resolution clock) refer it; the street's liaison claims within 30 minutes and
dispatches to a department, which claims and feeds back with proof within 48 hours; what nobody
claims, or whose ownership is disputed, goes to the district coordinator, who assigns it.
"""
