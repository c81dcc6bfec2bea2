DROP TRIGGER registration_tallies_update ON registrations;
DROP TRIGGER registration_tallies_insert_delete ON registrations;
DROP FUNCTION tally_registrations();
DROP TABLE registration_tallies;
