-- Why the spool archived a message: 'DELIVERED' (archive.success) or 'BOUNCED' (archive.bounce, after the bounce
-- handler ran). NULL for every message that is not ARCHIVED, and for one archived before this column existed or
-- moved to ARCHIVED by an operator. A nullable column without a default: only the catalog changes, no table rewrite.
ALTER TABLE ${meta_table} ADD COLUMN archived_as TEXT;
