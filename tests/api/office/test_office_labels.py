"""Every enum value the office shows has its Chinese word: the walk of the living demo found an
opinion about fees shown as "FEES" and one about the office's service as "SERVICE" (issue 18)."""

from __future__ import annotations

from graphql import GraphQLEnumType

from api.graphql import build_schema
from api.web.office.labels import ALL


def test_every_value_of_each_enum_the_office_labels_has_its_chinese_word() -> None:
    enums = {
        name: set(t.values)
        for name, t in build_schema(production=False)._schema.type_map.items()
        if isinstance(t, GraphQLEnumType) and not name.startswith("__")
    }
    missing: dict[str, list[str]] = {}
    for kind, words in ALL.items():
        # The enum a label table is for: the smallest one holding every value it names.
        holders = sorted((len(values), name) for name, values in enums.items() if set(words) <= values)
        assert holders, f"{kind}: no enum of the schema holds {sorted(words)}"
        name = holders[0][1]
        if absent := sorted(enums[name] - set(words)):
            missing[f"{kind} ({name})"] = absent
    assert missing == {}, missing
