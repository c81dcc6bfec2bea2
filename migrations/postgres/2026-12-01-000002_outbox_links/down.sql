DROP TABLE calendar_holds;
DROP TABLE secret_links;
DROP TABLE outbox;
