"""The Chinese catalog covers every text the code marks, and only those; negotiation picks the
language a request asks for."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from runtime import i18n
from runtime.i18n import CHINESE, ENGLISH, N_, Text, negotiate, read_catalog
from runtime.labels import WORDS, word
from tools.messages import extract, untranslated

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)[^}]*\}")


def _keys(catalog: object) -> set[tuple[str | None, str]]:
    return {(m.context, str(m.id)) for m in catalog if m.id}  # type: ignore[attr-defined]


def test_every_marked_text_has_a_chinese_translation_and_the_catalog_is_not_stale() -> None:
    code, catalog = extract(), read_catalog(CHINESE)
    missing = _keys(code) - _keys(catalog)
    stale = _keys(catalog) - _keys(code)
    assert not missing, f"texts the catalog lacks (run `make messages`, then translate): {sorted(missing)}"
    assert not stale, f"texts the code no longer has (run `make messages`): {sorted(stale)}"
    assert not untranslated(catalog), f"untranslated or fuzzy: {untranslated(catalog)}"


def test_each_translation_keeps_the_placeholders_of_its_id() -> None:
    for message in read_catalog(CHINESE):
        if message.id:
            wanted = set(PLACEHOLDER.findall(str(message.id)))
            assert set(PLACEHOLDER.findall(str(message.string))) == wanted, message.id


def test_a_text_reads_in_chinese_by_default_and_in_english_on_request() -> None:
    text = Text(N_("Sign in first."))
    assert text.render(CHINESE) == "请先登录。"
    assert text.render(ENGLISH) == "Sign in first."
    assert str(text) == "Sign in first."  # logs read English


def test_parameters_fill_both_languages_and_an_enum_value_shows_its_word() -> None:
    from models.enums import ReportCategory

    text = Text(
        N_("Your {category} report #{number} was claimed by a repairer."),
        {"category": word(ReportCategory.ILLEGAL_CONSTRUCTION), "number": 7},
    )
    assert text.render(CHINESE) == "您的违章搭建报修单 #7 已由维修队员接单。"
    assert text.render(ENGLISH) == "Your illegal construction report #7 was claimed by a repairer."
    stored = Text.from_stored(text.msgid, text.params_json())
    assert stored.render(CHINESE) == text.render(CHINESE)  # a stored row reads the same


def test_every_value_of_an_enum_shown_in_a_sentence_has_its_word() -> None:
    for enum, words in WORDS.items():
        members: list[StrEnum] = list(enum)
        assert {str(m) for m in members} == set(words), enum.__name__


def test_a_row_written_before_texts_had_ids_reads_as_written() -> None:
    assert Text.from_stored("", None, "Your lighting report #1 was claimed.").render(CHINESE) == (
        "Your lighting report #1 was claimed."
    )


def test_a_translation_with_wrong_placeholders_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    broken = {(None, "Report #{number} was cancelled."): "报修单 #{numero} 已撤销。"}
    monkeypatch.setattr(i18n, "_translations", lambda language: broken if language == CHINESE else {})
    assert (
        i18n.render("Report #{number} was cancelled.", {"number": 3}, CHINESE) == "Report #3 was cancelled."
    )


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, CHINESE),
        ("", CHINESE),
        ("en", ENGLISH),
        ("en-US,en;q=0.9", ENGLISH),
        ("zh-CN,zh;q=0.9,en;q=0.8", CHINESE),
        ("en;q=0.8, zh-Hans;q=0.9", CHINESE),
        ("zh;q=0.5, en;q=0.6", ENGLISH),
        ("fr-FR, en;q=0.3", ENGLISH),
        ("fr-FR, de", CHINESE),
        ("en;q=0", CHINESE),
        ("*", CHINESE),
        ("en;q=abc, zh;q=0.1", CHINESE),
        ("zh-TW", CHINESE),
        ("EN-gb", ENGLISH),
        ("en;q=0.5, zh;q=0.5", ENGLISH),  # a tie goes to the one listed first
    ],
)
def test_accept_language_with_q_values(header: str | None, language: str) -> None:
    assert negotiate(header) == language
