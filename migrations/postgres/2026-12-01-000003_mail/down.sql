DROP INDEX calendar_holds_record;
