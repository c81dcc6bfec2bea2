DROP INDEX calendar_holds_item;
ALTER TABLE calendar_holds DROP COLUMN item_id;
DROP TABLE speaker_invitations;
DROP TABLE speakers;
