"""Open books (公开账目): the community's public accounts.

Query and Mutation fields of the area, merged into the root schema."""

from __future__ import annotations

import strawberry

from api.resolvers.open_books import operations as resolve
from api.schema.open_books.types import AccountEntryPayload, AccountStatement


@strawberry.type
class OpenBooksQuery:
    account_statement: AccountStatement = strawberry.field(
        resolver=resolve.account_statement,
        description="Members: a month's public accounts (YYYY-MM), repair materials included.",
    )


@strawberry.type
class OpenBooksMutation:
    account_entry_record: AccountEntryPayload = strawberry.mutation(
        resolver=resolve.account_entry_record,
        description="Staff: record income or spending; with `correctsId` it replaces that entry.",
    )
