"""Leaderboards (排行榜): member boards by points earned, entrance and team boards.

Its types (types.py); its root fields are api/resolvers/leaderboards/root.py."""
