-- Rapporteurs assigned to the sessions whose agendas they review.
CREATE TABLE session_rapporteurs (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE INDEX session_rapporteurs_user ON session_rapporteurs(user_id);

-- Fixed-window request counters shared by every instance (sign-in attempts, public routes).
CREATE TABLE rate_counters (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_counters_window ON rate_counters(window_start);
