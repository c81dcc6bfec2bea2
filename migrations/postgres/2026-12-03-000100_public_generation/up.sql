-- The generation of public content: one row, bumped in the same transaction as any change to a
-- table the public pages read, so every instance's in-memory cache of rendered public pages
-- knows when to drop its copies (see src/cache). The triggers are deferred to the commit, so
-- the row's lock is the last one a transaction takes, held for an instant, and never part of
-- a deadlock with room or session locks.
CREATE TABLE public_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation BIGINT NOT NULL);
INSERT INTO public_generation (id, generation) VALUES (1, 1);
CREATE FUNCTION bump_public_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER public_generation_meetings AFTER INSERT OR UPDATE OR DELETE ON meetings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_sessions AFTER INSERT OR UPDATE OR DELETE ON sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_rooms AFTER INSERT OR UPDATE OR DELETE ON rooms DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_room_bookings AFTER INSERT OR UPDATE OR DELETE ON room_bookings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_agenda_versions AFTER INSERT OR UPDATE OR DELETE ON agenda_versions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_agenda_version_items AFTER INSERT OR UPDATE OR DELETE ON agenda_version_items DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
CREATE CONSTRAINT TRIGGER public_generation_countries AFTER INSERT OR UPDATE OR DELETE ON countries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_public_generation();
