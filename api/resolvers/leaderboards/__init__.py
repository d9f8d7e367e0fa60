"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

The area's root fields (root.py) and what they do (operations.py)."""
