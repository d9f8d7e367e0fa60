"""What protects the API from retries and floods: idempotency records and rate-limit counters."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.people import User


class IdempotencyRecord(Model):
    """The first answer to a retried mutation: which operation, with which input (hashed), made
    which object. A replay with the same key and input returns that object."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="idempotency_records", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=64)
    operation = fields.CharField(max_length=64)
    input_hash = fields.CharField(max_length=64)
    result_id = fields.IntField()
    created_at = fields.DatetimeField(db_index=True)

    user_id: int

    class Meta:
        table = "idempotency_record"
        unique_together = (("user", "key"),)


class RateCounter(Model):
    """Requests in one fixed window for one bucket (action and account or address, hashed so the
    table holds no phone numbers or addresses). Shared by every server process."""

    id = fields.IntField(primary_key=True)
    bucket_hash = fields.CharField(max_length=64)
    window_start = fields.DatetimeField()
    count = fields.IntField(default=0)

    class Meta:
        table = "rate_counter"
        unique_together = (("bucket_hash", "window_start"),)
