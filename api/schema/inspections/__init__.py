"""Inspections (检查) of entrances, with their photos.

Its types (types.py); its root fields are api/resolvers/inspections/root.py."""
