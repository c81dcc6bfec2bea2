DROP TABLE audit_events;
DROP TABLE sessions;
DROP TABLE meetings;
DROP TABLE api_tokens;
DROP TABLE users;
