"""Inspections (检查) of entrances, with their photos.

Types (types.py) and root fields (root.py)."""
