"""Extract the texts marked for translation and bring the Chinese catalog up to date.

`make messages` (python -m tools.messages) runs Babel's Python extractor over the server's code
(`N_("...")` texts, `label(context, "...")` words), merges the result into
runtime/locales/zh_Hans/LC_MESSAGES/redsteward.po — new ids arrive untranslated, ids the code no
longer has are dropped — and lists what still needs a translator. tests/runtime/test_messages.py
fails while any id lacks a translation or the catalog holds an id the code dropped.

Locations (file:line) are not written: they would change the catalog on every edit of the code,
and a reviewer looks a text up by its words.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from runtime.i18n import CHINESE, DOMAIN, catalog_path, read_catalog

ROOT = Path(__file__).resolve().parents[1]
# Every package whose texts reach a person (pages, errors, notifications, operators' output).
PACKAGES = ("api", "services", "points_engine", "runtime", "cli", "models")
# N_ marks a text; label(context, word) marks the word of an enum value, as pgettext would.
KEYWORDS: dict[str, object] = {"N_": None, "label": ((1, "c"), 2)}
COMMENT_TAGS = ("Translators:",)


def extract() -> Catalog:
    """Every marked text of the code, as a template catalog (no translations)."""
    template = Catalog(domain=DOMAIN, project="redsteward", version="1", fuzzy=False)
    for package in PACKAGES:
        found = extract_from_dir(
            ROOT / package,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,  # type: ignore[arg-type]
            comment_tags=COMMENT_TAGS,
            strip_comment_tags=True,
        )
        for filename, lineno, message, comments, context in found:
            template.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def untranslated(catalog: Catalog) -> list[str]:
    return sorted(
        str(m.id) for m in catalog if m.id and (m.fuzzy or not m.string or not isinstance(m.string, str))
    )


def update(language: str = CHINESE) -> Catalog:
    """Merge the code's texts into the language's catalog and write it back."""
    catalog = read_catalog(language)
    # Keep the header's dates: a catalog whose texts did not change stays byte for byte the same.
    dates = catalog.creation_date, catalog.revision_date
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.creation_date, catalog.revision_date = dates
    catalog.obsolete.clear()  # an id the code dropped has nothing left to translate
    with catalog_path(language).open("wb") as handle:
        write_po(handle, catalog, width=0, no_location=True, omit_header=False, sort_output=True)
    return catalog


def main() -> int:
    catalog = update()
    missing = untranslated(catalog)
    print(f"{len(catalog)} texts in {catalog_path(CHINESE).relative_to(ROOT)}; {len(missing)} untranslated")
    for msgid in missing:
        print(f"  {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
