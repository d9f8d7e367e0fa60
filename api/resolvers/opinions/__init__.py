"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

The area's root fields (root.py) and what they do (operations.py)."""
