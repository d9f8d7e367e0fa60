"""Workflows of the community: plain async Python that knows nothing of GraphQL."""
