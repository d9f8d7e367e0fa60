"""The reports area's thin resolvers, one module per role:
root, operations, fields, loaders."""
