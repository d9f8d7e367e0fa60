"""Satisfaction (满意度): surveys and their tallies per month and per team.

Its types (types.py); its root fields are api/resolvers/satisfaction/root.py."""
