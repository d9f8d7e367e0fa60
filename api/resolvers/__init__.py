"""Thin resolvers: read the caller from context, call a service, map the result."""
