ALTER TABLE registrations DROP COLUMN gender;
