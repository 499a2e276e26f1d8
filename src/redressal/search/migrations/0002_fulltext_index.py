"""The full-text index over ``search_searchdoc``: FTS5 on SQLite, a stored tsvector + GIN on PostgreSQL.

Both index the same space-separated jieba words; neither ``pg_trgm`` nor FTS5 ``trigram`` is used
because both fail on two-character Chinese words (ARCHITECTURE §7).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_UP = [
    # External-content FTS5 table: the text lives once, in search_searchdoc; rowid = case id.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    " words, ids, content='search_searchdoc', content_rowid='case_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_searchdoc BEGIN"
    " INSERT INTO search_fts(rowid, words, ids) VALUES (new.case_id, new.words, new.ids); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_searchdoc BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, words, ids) VALUES ('delete', old.case_id, old.words, old.ids); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_searchdoc BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, words, ids) VALUES ('delete', old.case_id, old.words, old.ids);"
    " INSERT INTO search_fts(rowid, words, ids) VALUES (new.case_id, new.words, new.ids); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    # 'simple': no stemming or stop words — the words are already segmented and normalised in Python.
    "ALTER TABLE search_searchdoc ADD COLUMN tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', words || ' ' || ids)) STORED",
    "CREATE INDEX search_doc_tsv_gin ON search_searchdoc USING gin (tsv)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_doc_tsv_gin",
    "ALTER TABLE search_searchdoc DROP COLUMN IF EXISTS tsv",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_doc")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
