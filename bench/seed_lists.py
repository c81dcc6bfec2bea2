#!/usr/bin/env python3
"""Grows one session's registrations to a total, fast, for bench/lists.sh: every new row is a copy
of a registration the API made (so each column the schema has is filled as the service fills it),
with its own id, email, name and arrival, and a spread of attendance, country, category and
status; each gets its secret link, its calendar hold and its confirmation email in the outbox,
copied the same way.

usage: seed_lists.py sqlite PATH SESSION_ID TOTAL
       seed_lists.py postgres URL SESSION_ID TOTAL"""
import sqlite3
import subprocess
import sys

backend, target, session, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
CAPACITY = 200  # in person and remote each: the rest wait


def sql_of(backend):
    """Backend-specific pieces: a series of n, an id made of a kind and n, and an instant n
    seconds before another (copies are spread in time, as registrations and their mail are)."""
    if backend == "sqlite":
        series = "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi})"
        ident = "printf('%08d-0000-4000-8000-%012d', {kind}, {n})"
        earlier = "strftime('%Y-%m-%d %H:%M:%f', {t}, '-' || s.n || ' seconds')"
        return series, ident, earlier
    series = "WITH s AS (SELECT generate_series({lo}, {hi}) AS n)"
    ident = "(lpad('{kind}', 8, '0') || '-0000-4000-8000-' || lpad(({n})::text, 12, '0'))"
    earlier = "({t} - make_interval(secs => s.n))"
    return series, ident, earlier


SERIES, IDENT, EARLIER = sql_of(backend)


def ident(kind, n="s.n"):
    return IDENT.format(kind=kind, n=n)


COUNTRIES = [("KE", "developing"), ("JP", "developed"), ("HT", "ldc"), ("BR", "developing"), ("DE", "developed")]
CATEGORIES = ["policy_maker", "regulator", "operator", "manufacturer", "other"]


def case(options, modulo_of):
    whens = " ".join(f"WHEN {modulo_of} = {i} THEN '{v}'" for i, v in enumerate(options))
    return f"CASE {whens} END"


def statements(columns, lo, hi, base):
    """INSERT … SELECT statements copying the template registration, its email and its link."""
    arrival = f"({base} + s.n - {lo} + 1)"
    reg = {
        "id": ident(1),
        "email": "'bench' || s.n || '@example.org'",
        "name": "'Delegate ' || s.n",
        "arrival": arrival,
        "attendance": "CASE WHEN s.n % 2 = 0 THEN 'in_person' ELSE 'remote' END",
        "country": case([c for c, _ in COUNTRIES], "s.n % 5"),
        "country_group": case([g for _, g in COUNTRIES], "s.n % 5"),
        "stakeholder_category": case(CATEGORIES, "(s.n / 5) % 5"),
        "created_at": EARLIER.format(t="r.created_at"),
        "updated_at": EARLIER.format(t="r.updated_at"),
        "status": f"CASE WHEN s.n % 25 = 7 THEN 'cancelled' WHEN {arrival} <= {2 * CAPACITY} "
                  "THEN 'confirmed' ELSE 'waitlisted' END",
    }
    hold = {"id": ident(4), "record_id": ident(1), "email": "'bench' || s.n || '@example.org'"}
    mail = {
        "id": ident(2),
        "message_id": "'<bench-' || s.n || '@bench.example>'",
        "record_id": ident(4) if MAIL_KIND == "calendar_hold" else ident(1),
        "to_email": "'bench' || s.n || '@example.org'",
        "to_name": "'Delegate ' || s.n",
        "created_at": EARLIER.format(t="r.created_at"),
    }
    link = {"id": ident(3), "record_id": ident(1), "token_hash": "'bench-' || s.n"}
    series = SERIES.format(lo=lo, hi=hi)
    out = []
    for table, over, template in [
        ("registrations", reg, f"r.id = '{TEMPLATE}'"),
        ("outbox", mail, f"r.id = '{TEMPLATE_MAIL}'"),
        ("secret_links", link, f"r.id = '{TEMPLATE_LINK}'"),
        ("calendar_holds", hold, f"r.id = '{TEMPLATE_HOLD}'"),
    ]:
        cols = columns[table]
        values = ", ".join(over.get(c, f"r.{c}") for c in cols)
        out.append(f"INSERT INTO {table} ({', '.join(cols)}) {series} "
                   f"SELECT {values} FROM {table} r, s WHERE {template}")
    return out


def run_sqlite(queries):
    db = sqlite3.connect(target, timeout=30)
    rows = [db.execute(q).fetchall() for q in queries]
    db.commit()
    return rows


def run_pg(queries, fetch=True):
    out = []
    for q in queries:
        res = subprocess.run(["psql", target, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", q],
                             check=True, capture_output=True, text=True).stdout
        out.append([tuple(line.split("\t")) for line in res.splitlines() if line] if fetch else res)
    return out


run = run_sqlite if backend == "sqlite" else run_pg
TABLES = ("registrations", "outbox", "secret_links", "calendar_holds")
if backend == "sqlite":
    columns = {t: [r[1] for r in run([f"PRAGMA table_info({t})"])[0]]
               for t in TABLES}
else:
    columns = {t: [r[0] for r in run([f"SELECT column_name FROM information_schema.columns "
                                       f"WHERE table_name = '{t}' ORDER BY ordinal_position"])[0]]
               for t in TABLES}

(TEMPLATE, count, base), = run([f"SELECT min(id), count(*), max(arrival) FROM registrations "
                                f"WHERE session_id = '{session}'"])[0]
count, base = int(count), int(base)
(TEMPLATE_LINK,), = run([f"SELECT min(id) FROM secret_links WHERE record_id = '{TEMPLATE}'"])[0]
(TEMPLATE_HOLD,), = run([f"SELECT min(id) FROM calendar_holds WHERE record_id = '{TEMPLATE}'"])[0]
# The confirmation is about the registration or about its calendar hold.
(TEMPLATE_MAIL, MAIL_KIND), = run([f"SELECT id, record_kind FROM outbox WHERE record_id IN "
                                   f"('{TEMPLATE}', '{TEMPLATE_HOLD}') ORDER BY created_at LIMIT 1"])[0]
if total > count:
    # n continues from the last copy made, so a second call adds to the first.
    (made,), = run([f"SELECT count(*) FROM registrations WHERE email LIKE 'bench%@example.org' "
                    f"AND session_id = '{session}'"])[0]
    lo = int(made) + 1
    run(statements(columns, lo, lo + total - count - 1, base))
    if backend == "postgres":
        # Every table, the counts the triggers keep included (autovacuum's work, done now).
        run_pg(["VACUUM ANALYZE"], fetch=False)
print(total)
