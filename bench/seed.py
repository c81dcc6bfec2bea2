#!/usr/bin/env python3
"""Seeds a running seminars server through its API for bench/run.sh: a meeting, 10 published
sessions of 12 agenda items (approved by a rapporteur, so the public programme exists), 40
speakers invited to three slots each, and 5,000 registrations spread over the sessions; and an
eleventh session like them, left without registrations for the registration benchmark. Prints the
sessions' ids, that one last.

usage: seed.py BASE_URL ORGANISER_TOKEN RAPPORTEUR_TOKEN RAPPORTEUR_ID [REGISTRATIONS]"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

base, organiser, rapporteur, rapporteur_id = sys.argv[1:5]
total = int(sys.argv[5]) if len(sys.argv) > 5 else 5000
YEAR = 2027


def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def ok(result, what):
    status, body = result
    if status >= 300:
        sys.exit(f"seed: {what} answered {status}: {body}")
    return body


meeting = ok(call("POST", "/api/v1/meetings", {
    "kind": "study_group", "study_group": 1, "title": f"ITU-D Study Group 1, March {YEAR}", "question": "22-1/1",
    "venue": "CICG, Geneva", "timezone": "Europe/Zurich",
    "first_day": f"{YEAR}-03-09", "last_day": f"{YEAR}-03-13"}, organiser), "meeting")
speakers = []
for n in range(40):
    speakers.append(ok(call("POST", "/api/v1/speakers", {
        "name": f"Speaker {n + 1}", "email": f"speaker{n + 1}@example.org",
        "organisation": ["MIC Japan", "JPCERT/CC", "Ministry of ICT, Kenya", "ITU-D"][n % 4],
        "organisation_kind": ["member_state", "sector_member", "organisation", "academia"][n % 4],
        "country": ["JP", "KE", "BR", "DE", "HT"][n % 5],
        "bio": "Twenty years of incident response and national CIRT capacity building."}, organiser), "speaker")["id"])
sessions = []
for n in range(11):
    day, hour = 9 + n % 10 // 2, 9 + (n % 2) * 5
    s = ok(call("POST", "/api/v1/sessions", {
        "meeting_id": meeting["id"], "kind": "seminar",
        "title": f"Building cybersecurity capacity, part {n + 1}",
        "description": "Experts share national experience with CIRT set-up.\n\nPolicy-makers welcome.",
        "starts_at": f"{YEAR}-03-{day:02d}T{hour:02d}:00:00+01:00",
        "ends_at": f"{YEAR}-03-{day:02d}T{hour + 4:02d}:00:00+01:00",
        "capacity": 400, "remote_capacity": 400}, organiser), "session")
    sid = s["id"]
    ok(call("PUT", f"/api/v1/sessions/{sid}/rapporteurs", {"user_ids": [rapporteur_id]}, organiser), "rapporteurs")
    for i in range(12):
        start = hour * 60 + i * 20
        item = ok(call("POST", f"/api/v1/sessions/{sid}/agenda/items", {
            "kind": "expert_presentation", "title": f"Presentation {i + 1}: national CIRT experience",
            "description": "A case study.",
            "starts_at": f"{YEAR}-03-{day:02d}T{start // 60:02d}:{start % 60:02d}:00+01:00",
            "ends_at": f"{YEAR}-03-{day:02d}T{(start + 20) // 60:02d}:{(start + 20) % 60:02d}:00+01:00"},
            organiser), "agenda item")
        speaker = speakers[(n * 12 + i) % len(speakers)]
        ok(call("POST", f"/api/v1/sessions/{sid}/agenda/items/{item['id']}/invitations",
                {"speaker_id": speaker, "role": "speaker"}, organiser), "invitation")
    ok(call("POST", f"/api/v1/sessions/{sid}/agenda/submit", {}, organiser), "submit")
    ok(call("POST", f"/api/v1/sessions/{sid}/agenda/approve", {"comment": "Approved"}, rapporteur), "approve")
    ok(call("POST", f"/api/v1/sessions/{sid}/publish", {}, organiser), "publish")
    sessions.append(sid)


def register(i):
    sid = sessions[i % 10]
    return call("POST", f"/api/v1/sessions/{sid}/registrations", {
        "name": f"Delegate {i}", "email": f"seed{i}@example.org", "organisation": "Ministry of ICT",
        "job_title": "Director", "country": ["KE", "JP", "BR", "DE", "HT"][i % 5],
        "stakeholder_category": "policy_maker", "attendance": ["in_person", "remote"][i % 2],
        "consent_directory": True})[0]


with ThreadPoolExecutor(16) as pool:
    statuses = list(pool.map(register, range(total)))
bad = [s for s in statuses if s not in (200, 201)]
if bad:
    sys.exit(f"seed: {len(bad)} registrations failed, e.g. {bad[:5]}")
print(" ".join(sessions))
