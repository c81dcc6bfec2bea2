DROP TRIGGER IF EXISTS public_generation_meetings ON meetings;
DROP TRIGGER IF EXISTS public_generation_sessions ON sessions;
DROP TRIGGER IF EXISTS public_generation_rooms ON rooms;
DROP TRIGGER IF EXISTS public_generation_room_bookings ON room_bookings;
DROP TRIGGER IF EXISTS public_generation_agenda_versions ON agenda_versions;
DROP TRIGGER IF EXISTS public_generation_agenda_version_items ON agenda_version_items;
DROP TRIGGER IF EXISTS public_generation_countries ON countries;
DROP FUNCTION bump_public_generation();
DROP TABLE public_generation;
