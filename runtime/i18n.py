"""Texts for people in the reader's language: Simplified Chinese by default, English on request.

The code writes each text once, in English, marked with `N_` (or `label` for the word of an enum
value) and with named placeholders instead of f-strings: `N_("Report #{number} was claimed.")`.
Those English texts are the gettext message ids; Babel's extractor collects them, and the Chinese
translations live in the catalog `runtime/locales/zh_Hans/LC_MESSAGES/redsteward.po` (English
needs no catalog: it falls back to the message id). Nothing is translated where it is raised or
stored: a service keeps the id and its parameters (`Text`), and the edge that answers a person
(the API in the caller's `Accept-Language`, the CLI) renders it in that person's language. So a
stored notification is read in Chinese by one member and in English by another.

The catalog is read with Babel's `read_po` once per process, at start-up or first use: `make run`
needs no compile step and nothing but Python.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locales")
DOMAIN = "redsteward"
CHINESE = "zh_Hans"
ENGLISH = "en"
DEFAULT_LANGUAGE = CHINESE
LANGUAGES = (CHINESE, ENGLISH)
# The catalog each language reads; English is the message ids themselves.
CATALOG_LANGUAGES = (CHINESE,)

# A parameter of a text: a number, a finished string (a name, a time), or a Label.
Param = Any


def N_(msgid: str) -> str:
    """Mark an English text for extraction; it is translated where it is shown, not here."""
    return msgid


@dataclass(frozen=True)
class Label:
    """The word for an enum value (a report category, a rejection reason), translated like a
    text. `context` keeps words apart that are spelt alike in English but not in Chinese
    ("other" category vs "other" reason): it is the entry's msgctxt in the catalog."""

    context: str
    msgid: str

    def render(self, language: str) -> str:
        return translate(self.msgid, language, self.context)

    def to_json(self) -> dict[str, str]:
        return {"label": self.msgid, "context": self.context}


def label(context: str, msgid: str) -> Label:
    """Mark the word of an enum value (extracted with its context, as pgettext would be)."""
    return Label(context, msgid)


# The parameter that heads a text (Text.headed): not a placeholder of any message id.
HEADING = "heading"


@dataclass(frozen=True)
class Text:
    """A text for people not yet in anyone's language: the message id and its parameters."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)
    # A text nobody marked for translation (a note a person wrote, a row stored before texts
    # had ids): shown exactly as written, in every language.
    literal: bool = False

    def render(self, language: str) -> str:
        if self.literal:
            return self.msgid
        said = render(self.msgid, self.params, language)
        # A text headed by a place (a report's notification: 105 entrances share four names, so
        # the repairer must read the full label) shows it first, the same in every language.
        heading = self.params.get(HEADING)
        return f"【{heading}】{said}" if heading else said

    def headed(self, heading: str) -> Text:
        """The same text headed by `heading` (kept with the parameters, so stored rows keep it)."""
        return Text(self.msgid, {**self.params, HEADING: heading}, self.literal)

    @classmethod
    def as_written(cls, text: str) -> Text:
        return cls(text, literal=True)

    def __str__(self) -> str:
        # Logs, exceptions' str() and operators' consoles without a chosen language read English,
        # the language of the code, so a log line means the same on every machine.
        return self.render(ENGLISH)

    def params_json(self) -> dict[str, Any]:
        """The parameters as JSON (a Label becomes {"label", "context"}), for a stored row."""
        return {k: (v.to_json() if isinstance(v, Label) else v) for k, v in self.params.items()}

    @classmethod
    def from_stored(cls, msgid: str, params: Mapping[str, Any] | None, written: str = "") -> Text:
        """The text of a stored row: its message id and `params_json`; a row without an id shows
        the text `written` into it, as written."""
        if not msgid:
            return cls.as_written(written)
        restored: dict[str, Param] = {}
        for key, value in (params or {}).items():
            if isinstance(value, dict) and "label" in value:
                restored[key] = Label(str(value.get("context", "")), str(value["label"]))
            else:
                restored[key] = value
        return cls(msgid, restored)


# ── catalogs ──────────────────────────────────────────────────────────────────────────────


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@cache
def _translations(language: str) -> Mapping[tuple[str | None, str], str]:
    """(msgctxt, msgid) → msgstr of one language; fuzzy or empty entries are left out, as
    gettext leaves them out, so an unchecked translation never reaches a person."""
    if language not in CATALOG_LANGUAGES:
        return {}
    table: dict[tuple[str | None, str], str] = {}
    for message in read_catalog(language):
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string:
            table[(message.context, message.id)] = message.string
    return table


def load() -> None:
    """Read every catalog now (at start-up), so a broken catalog stops the server, not a request."""
    for language in CATALOG_LANGUAGES:
        _translations(language)


def translate(msgid: str, language: str, context: str | None = None) -> str:
    """The text in `language`; the English message id when the catalog has no translation."""
    return _translations(language).get((context, msgid), msgid)


def _value(value: Param, language: str) -> Any:
    if isinstance(value, Label):
        return value.render(language)
    if isinstance(value, Text):
        return value.render(language)
    return value


def render(msgid: str, params: Mapping[str, Param], language: str) -> str:
    """The text in `language` with its placeholders filled (labels in the same language)."""
    values = {key: _value(value, language) for key, value in params.items()}
    try:
        return translate(msgid, language).format_map(values)
    except (KeyError, IndexError, ValueError):
        # A translation whose placeholders differ from the id's (the catalog test refuses such
        # a catalog; this only guards a hand-edited one in production): say it in English.
        return msgid.format_map(_Missing(values))


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# ── choosing the language ─────────────────────────────────────────────────────────────────


def _language_of_tag(tag: str) -> str | None:
    primary = tag.strip().lower().replace("_", "-").split("-", 1)[0]
    if primary == "zh":
        # Traditional-script readers still read Simplified better than English.
        return CHINESE
    if primary == "en":
        return ENGLISH
    return None


def negotiate(accept_language: str | None) -> str:
    """The language to answer in, from an Accept-Language value (RFC 9110 §12.5.4): the
    supported language with the highest q-value, the earlier one on a tie; `q=0` refuses a
    language; `*` or nothing we speak means the default, Chinese."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((accept_language or "").split(",")):
        tag, *options = (piece.strip() for piece in part.split(";"))
        if not tag:
            continue
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:
                    quality = 0.0
        language = DEFAULT_LANGUAGE if tag == "*" else _language_of_tag(tag)
        if language is None or quality <= 0.0:
            continue
        candidate = (quality, -position, language)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else DEFAULT_LANGUAGE


def operator_language() -> str:
    """The language of the CLI's output: `RS_LANGUAGE` (an Accept-Language value such as `en`),
    Chinese when unset. The shell's LANG is not consulted: most servers run with C.UTF-8 or
    en_US, which would make a Chinese office's console English by accident."""
    return negotiate(os.environ.get("RS_LANGUAGE"))
