"""The property fees' GraphQL declarations, one module per role:
inputs, root, types."""
