"""The HTTP and GraphQL face of Red Steward."""
