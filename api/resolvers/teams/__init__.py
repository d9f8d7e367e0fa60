"""The teams area's thin resolvers, one module per role:
root, operations, fields, mapping, loaders."""
