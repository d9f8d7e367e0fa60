"""Satisfaction (满意度): surveys and their tallies per month and per team.

Types (types.py) and root fields (root.py)."""
