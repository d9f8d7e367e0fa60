"""The tags area's thin resolvers, one module per role:
fields, operations, loaders."""
