"""The points area's thin resolvers, one module per role:
root, operations, mapping, loaders."""
