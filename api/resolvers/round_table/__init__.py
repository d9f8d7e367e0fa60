"""The round table (幸福圆桌会): meetings, agenda topics, votes and check-in.

The area's root fields (root.py) and what they do (operations.py)."""
