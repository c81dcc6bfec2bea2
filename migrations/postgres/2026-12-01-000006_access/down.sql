DROP TABLE rate_counters;
DROP TABLE session_rapporteurs;
