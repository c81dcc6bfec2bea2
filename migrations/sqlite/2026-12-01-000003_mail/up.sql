-- The private feed lists a holder's events by the record their secret link opens.
CREATE INDEX calendar_holds_record ON calendar_holds(record_id, active);
