"""Opinions (居民意见): members' suggestions and complaints, and how the office ends them.

Its types (types.py); its root fields are api/resolvers/opinions/root.py."""
