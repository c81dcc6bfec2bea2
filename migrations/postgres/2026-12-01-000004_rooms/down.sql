DROP TABLE equipment_reservations;
DROP TABLE room_bookings;
DROP TABLE equipment;
DROP TABLE rooms;
