-- Why the spool archived a message: 'DELIVERED' (archive.success) or 'BOUNCED' (archive.bounce, after the bounce
-- handler ran). NULL for every message that is not ARCHIVED, and for one archived before this column existed or
-- moved to ARCHIVED by an operator.
ALTER TABLE ${meta_table} ADD COLUMN archived_as VARCHAR(16);
