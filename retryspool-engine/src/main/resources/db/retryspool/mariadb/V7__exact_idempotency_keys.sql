-- Idempotency keys compare exactly, as on PostgreSQL and SQLite. The binary collation utf8mb4_bin pads with spaces:
-- 'k' and 'k ' compare equal, so a unique index on the key alone refused the second of two keys that differ only in
-- trailing spaces, and its enqueue was taken for a repeat of the first. The index now holds the key's length too.
-- The length is a virtual generated column: adding it changes only the table's definition, and the index is built
-- beside the old one before that is dropped.
ALTER TABLE ${meta_table} ADD COLUMN idempotency_key_length INT AS (CHAR_LENGTH(idempotency_key)) VIRTUAL;
CREATE UNIQUE INDEX ${meta_table}_idempotency_exact ON ${meta_table} (idempotency_key, idempotency_key_length);
DROP INDEX ${meta_table}_idempotency ON ${meta_table};
