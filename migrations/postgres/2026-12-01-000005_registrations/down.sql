DROP TABLE registrations;
DROP TABLE countries;
ALTER TABLE sessions DROP COLUMN reserved_until;
ALTER TABLE sessions DROP COLUMN reserved_seats;
ALTER TABLE sessions DROP COLUMN approval_required;
