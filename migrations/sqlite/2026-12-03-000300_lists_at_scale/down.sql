DROP TRIGGER registration_statistics_update;
DROP TRIGGER registration_statistics_delete;
DROP TRIGGER registration_statistics_insert;
DROP TABLE registration_statistics;
DROP INDEX registrations_waiting;
DROP INDEX outbox_status_created;
DROP INDEX outbox_created;
CREATE INDEX outbox_created ON outbox(created_at);
