DROP TRIGGER registration_statistics_update ON registrations;
DROP TRIGGER registration_statistics_insert_delete ON registrations;
DROP FUNCTION registration_statistics_count();
DROP TABLE registration_statistics;
DROP INDEX registrations_waiting;
DROP INDEX outbox_status_created;
DROP INDEX outbox_created;
CREATE INDEX outbox_created ON outbox(created_at);
