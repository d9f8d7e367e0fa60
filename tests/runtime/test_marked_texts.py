"""Every error the code raises for people carries a marked text: an `N_("...")` literal with named
placeholders, a Text, or a message passed through from one. An f-string or a bare literal would
reach a Chinese reader in English (the catalog test cannot see a text nobody marked)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "services", "points_engine", "runtime", "cli")
# Constructor (or helper) → the position of its message argument.
RAISERS = {
    "DomainError": 1,
    "PointsError": 1,
    "Refusal": 2,  # api.gate's
    "Reworded": 0,  # api.graphql_refusals': what graphql-core's English becomes
    "RateLimited": 0,
    "NotAuthenticated": 0,
    "Forbidden": 0,
    "_invalid": 0,
}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _message(call: ast.Call) -> ast.expr | None:
    position = RAISERS[_name(call.func) or ""]
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _unmarked() -> Iterator[str]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or _name(node.func) not in RAISERS:
                    continue
                message = _message(node)
                if message is None:
                    continue
                if isinstance(message, ast.Call) and _name(message.func) in {"N_", "Text", "as_written"}:
                    continue
                if isinstance(message, ast.Name | ast.Attribute | ast.Subscript):
                    continue  # a message id handed on (a helper's parameter, exc.text, a table of N_ texts)
                if isinstance(message, ast.BoolOp) and all(
                    isinstance(v, ast.Name | ast.Attribute)
                    or (isinstance(v, ast.Call) and _name(v.func) == "N_")
                    for v in message.values
                ):
                    continue  # `problem or N_("Sign in first.")`
                yield f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(message)[:70]}"


def test_every_raised_text_for_people_is_marked_for_translation() -> None:
    unmarked = list(_unmarked())
    assert not unmarked, "wrap these in N_() with named placeholders:\n" + "\n".join(unmarked)
