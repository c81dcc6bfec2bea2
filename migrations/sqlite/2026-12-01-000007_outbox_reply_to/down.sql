ALTER TABLE outbox DROP COLUMN reply_to_name;
ALTER TABLE outbox DROP COLUMN reply_to_email;
