-- The generation of public content: one row, bumped in the same transaction as any change to a
-- table the public pages read (by the triggers below), so every instance's in-memory cache of
-- rendered public pages knows when to drop its copies (see src/cache).
CREATE TABLE public_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation BIGINT NOT NULL);
INSERT INTO public_generation (id, generation) VALUES (1, 1);
CREATE TRIGGER public_generation_meetings_insert AFTER INSERT ON meetings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_meetings_update AFTER UPDATE ON meetings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_meetings_delete AFTER DELETE ON meetings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_sessions_insert AFTER INSERT ON sessions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_sessions_update AFTER UPDATE ON sessions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_sessions_delete AFTER DELETE ON sessions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_rooms_insert AFTER INSERT ON rooms BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_rooms_update AFTER UPDATE ON rooms BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_rooms_delete AFTER DELETE ON rooms BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_room_bookings_insert AFTER INSERT ON room_bookings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_room_bookings_update AFTER UPDATE ON room_bookings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_room_bookings_delete AFTER DELETE ON room_bookings BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_versions_insert AFTER INSERT ON agenda_versions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_versions_update AFTER UPDATE ON agenda_versions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_versions_delete AFTER DELETE ON agenda_versions BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_version_items_insert AFTER INSERT ON agenda_version_items BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_version_items_update AFTER UPDATE ON agenda_version_items BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_agenda_version_items_delete AFTER DELETE ON agenda_version_items BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_countries_insert AFTER INSERT ON countries BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_countries_update AFTER UPDATE ON countries BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
CREATE TRIGGER public_generation_countries_delete AFTER DELETE ON countries BEGIN UPDATE public_generation SET generation = generation + 1 WHERE id = 1; END;
