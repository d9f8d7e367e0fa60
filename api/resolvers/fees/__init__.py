"""The property fees' thin resolvers, one module per role:
fields, mapping, operations."""
