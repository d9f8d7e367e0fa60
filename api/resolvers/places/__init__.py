"""The places area's thin resolvers, one module per role:
fields, mapping, operations, loaders."""
