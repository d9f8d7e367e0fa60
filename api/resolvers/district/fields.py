"""Nested fields of the district's types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.context import Info

if TYPE_CHECKING:
    # Annotations only: the schema types import this module (see ARCHITECTURE's known debt).
    from api.schema.district.types import DispatchStep


def step_note(root: DispatchStep, info: Info) -> str:
    """A dispatch step in the caller's language (the row keeps the message id and parameters;
    the words people wrote, a reason or a feedback, are parameters shown as written)."""
    return root.note_text.render(info.context.language)
