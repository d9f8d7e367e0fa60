"""The reports area's GraphQL declarations, one module per role:
inputs, types."""
