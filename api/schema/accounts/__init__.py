"""The accounts area's GraphQL declarations, one module per role:
inputs, types."""
