"""The connection builder lives in api/schema/connections.py (it builds only schema types, and
types that page their children use it). Named here too only for the fees area's resolvers, which
its own engineer changes: drop this module when they import it from api.schema.connections."""

from api.schema.connections import children, connection

__all__ = ["children", "connection"]
