"""The accounts area's thin resolvers, one module per role:
operations, loaders."""
