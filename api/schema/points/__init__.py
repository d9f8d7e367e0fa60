"""The points area's GraphQL declarations, one module per role:
types."""
