"""Strawberry types, inputs, enums and payloads. Declarations only: no database access."""
