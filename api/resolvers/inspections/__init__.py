"""The inspections area's thin resolvers, one module per role: root, operations, loaders."""
