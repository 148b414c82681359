"""The archive's source of truth: the database, its schema versions, the originals,
the writer's lock, meeting assembly, and editors' corrections beside them.

``archive.store.sqlite.Store`` (SQLite and files under the home) and
``archive.store.postgres.PgStore`` (PostgreSQL) satisfy ``archive.store.api.ArchiveStore``.
"""
