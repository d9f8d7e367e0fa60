"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

Types (types.py) and root fields (root.py)."""
