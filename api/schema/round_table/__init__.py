"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

Types (types.py) and root fields (root.py)."""
