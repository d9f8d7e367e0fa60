"""Tortoise ORM models: what is stored, and nothing else."""

MODEL_MODULES = [
    "models.places",
    "models.people",
    "models.sessions",
    "models.ledger",
    "models.rewards",
    "models.reports",
    "models.tags",
    "models.teams",
    "models.voice",
    "models.open_books",
    "models.round_table",
    "models.guards",
    "models.boards",
    "models.abuse",
    "models.fees",
    "models.district",
    "models.mediation_room",
    "models.observers",
]
