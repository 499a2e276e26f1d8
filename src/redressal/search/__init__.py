"""Full-text search over cases (issue 5): a segmented document per case, indexed by the database.

SQLite: an FTS5 table (``unicode61``) over the document, kept in step by triggers. PostgreSQL: a
stored ``tsvector('simple', …)`` column with a GIN index. Both see the same space-separated jieba
words, so the database never has to know how Chinese is segmented (ARCHITECTURE §7).
"""
