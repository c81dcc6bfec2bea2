DROP TABLE agenda_version_items;
DROP TABLE agenda_versions;
DROP TABLE agenda_items;
DROP TABLE agendas;
