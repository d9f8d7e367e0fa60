"""Satisfaction (满意度): surveys and their tallies per month and per team.

The area's root fields (root.py) and what they do (operations.py)."""
