"""The texts migration keeps old rows readable: the system's timeline notes written before texts
had ids (three fixed English sentences) get their message id, so they read in Chinese too; a note
a person wrote keeps none and is shown as written."""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

from runtime.i18n import CHINESE, Text
from runtime.migrations import migration_files
from tests.runtime.test_migrations import run_cli


def _texts_migration() -> ModuleType:
    [path] = [p for p in migration_files() if p.name.endswith("_texts.py")]
    spec = importlib.util.spec_from_file_location("texts_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.own_sqlite
def test_old_system_notes_get_their_message_id_and_a_persons_note_does_not(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    assert run_cli("migrate", database_url=f"sqlite://{database}").returncode == 0
    migration = _texts_migration()
    conn = sqlite3.connect(database)
    try:
        # Back to the rows as they were before the migration: no id columns.
        conn.executescript(migration.DOWNGRADE["sqlite"])
        rows = [
            (None, "Not claimed in time: escalated to the community coordinator."),
            (None, "Nobody confirmed or reopened within 7 days."),
            (7, "Not fixed in time: escalated to the district."),  # a person typed the same words
            (7, "换了新灯泡"),
        ]
        conn.executemany(
            "INSERT INTO report_event (report_id, community_id, actor_id, kind, note, created_at) "
            "VALUES (1, 1, ?, 'escalated', ?, '2026-11-01T00:00:00+00:00')",
            rows,
        )
        conn.executescript(migration.UPGRADE["sqlite"])
        stored = conn.execute("SELECT note_id, note_params, note FROM report_event ORDER BY id").fetchall()
    finally:
        conn.close()
    read = [Text.from_stored(note_id, None, note).render(CHINESE) for note_id, _params, note in stored]
    assert read == [
        "未按时接单：已上报社区协调员。",
        "7 天内无人确认或重新打开，已自动确认。",
        *[r[1] for r in rows[2:]],
    ]
