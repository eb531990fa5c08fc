-- Where a message goes (a recipient's mail domain, an endpoint's host), as EnqueueRequest.destination names it and
-- fixed at enqueue; at most 255 characters. NULL for a message without one, and for every message enqueued before
-- this column existed. A nullable column without a default: only the catalog changes, no table rewrite.
ALTER TABLE ${meta_table} ADD COLUMN destination VARCHAR(255);
