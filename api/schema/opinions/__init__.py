"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

Types (types.py) and root fields (root.py)."""
