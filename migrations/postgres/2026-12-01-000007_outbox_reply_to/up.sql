-- A bulk email from an organiser carries their address as Reply-To.
ALTER TABLE outbox ADD COLUMN reply_to_email TEXT;
ALTER TABLE outbox ADD COLUMN reply_to_name TEXT;
