"""The teams area's thin resolvers, one module per role:
fields, mapping, operations."""
