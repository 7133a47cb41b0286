#!/usr/bin/env python3
"""The server under load on both stores: many signed-in users raising events and acting on them
through the flow at once, every acknowledged action checked in the store afterwards.

    server_events.py --dir DIR --gridmap PATH --postgres-uri URI [--seconds 60] [--users 200]

For each store in turn (SQLite, then PostgreSQL + PostGIS):
  1. imports the bundled town (geodata/dacun) and makes one account per user with `gridmap user
     add` (four fifths grid workers: the chief and the liaison of as many grids; one fifth at the 16
     departments' desks, two or three to a department) and an office account;
  2. starts `gridmap serve` on a free loopback port (access log to /dev/null) and signs every user
     in through `POST /auth/token` (bcrypt: the sign-ins are not in the measured time);
  3. runs the users for the given seconds, each a thread with one keep-alive connection and its
     own bearer token, no pause between requests (a closed loop: the server's limit, not a
     user's pace):
       - a grid worker raises an event at a home of its own grid (a category picked at random) and
         whistles it to the category's departments (one in ten the grid takes itself and resolves),
         and acts on its grid's events the departments resolved: verify, then close with the
         resident's satisfaction, one in eight sent back instead;
       - a department user reads its department's queue and reports in, then resolves, its part;
     the chief and the liaison of a grid watch the same events, and the users of a department the
     same queue, so they race for the same step; one step in ten is also sent twice at the same
     moment on two connections (a double submit). The store must take one and refuse the other
     cleanly (409), never both, never half of one;
  4. records every action the server acknowledged: the event, the position of the entry it added
     in the event's history (the history the answer carries ends with it) and the entry's note,
     unique per request; and every refusal by its reason;
  5. stops the server, starts a fresh one on the same store, signs the office in, and reads every
     event with its history (`GET /events`, the office sees every note); `gridmap event list`
     (the command line, straight from the store) must list the same events in the same states.
     Every acknowledged event and entry must be there at its position, every entry there must be
     an acknowledged one (so no refused request left a trace), histories in time order. Anything
     else is printed as a failure and the script exits 1.

One result line per store: "items" are the acknowledged actions (raises included), "seconds" the
run; actions/s, events raised/s, requests/s (reads included), p50/p99 latency of all requests and
of the writes, refusals by reason, the server's CPU seconds and peak memory; the PostgreSQL line
carries the ratio of its actions/s to SQLite's.
"""
import argparse
import collections
import concurrent.futures
import contextlib
import http.client
import json
import os
import pathlib
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import shapely
from shapely.geometry import shape

import bench_common
from postgres_cluster import PORT as POSTGRES_PORT, PostgresCluster
from server_http import peak_rss, start_gridmap

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
TOWN = REPOSITORY / "geodata/dacun"
PASSWORD = "bench-password-2026"
DEPARTMENTS = ["civil-affairs", "social-security", "justice", "police", "emergency", "fire", "natural-resources",
               "environment", "water", "agriculture", "market-supervision", "housing", "education", "health", "traffic",
               "law-enforcement"]
# The catalogue's categories and their default departments (EventCatalogue.standard): a grid
# worker whistles the defaults, so it raises only categories whose departments all have users.
CATEGORIES = {"environment": ["law-enforcement", "environment"], "safety-hazard": ["emergency", "fire"],
              "roads-and-water": ["water", "housing"], "dispute-mediation": ["justice"],
              "welfare-assistance": ["civil-affairs", "social-security"], "public-order": ["police"],
              "land-and-buildings": ["natural-resources", "housing"], "farming": ["agriculture"],
              "food-and-market": ["market-supervision"], "health": ["health"], "school-safety": ["education"],
              "traffic": ["traffic"]}
# The steps that are sent twice at once now and then: each is refused when its state has moved on.
DOUBLED = {"verify", "close", "report-in", "resolve"}
# At most this many of a grid worker's own events open before it raises another.
OPEN_PER_WORKER = 3
# A request's unique note, "user#serial", as it appears in a stored description or note.
NOTE = re.compile(r"[a-z0-9.-]+#\d+")


class Failure(Exception):
    """Something the server must never do under load (a 5xx, a lost answer, a refusal that is not
    the state's): the run goes on, the result fails."""


class Recorder:
    """What every user saw, merged at the end (one per user: no lock on the hot path)."""

    def __init__(self):
        self.acknowledged = []  # (event, position, action, note)
        self.refused = []  # (event, action, note, status, reason)
        self.read_ms = []
        self.write_ms = []
        self.raised = 0
        self.failures = []

    def merge(self, other):
        for name in ("acknowledged", "refused", "read_ms", "write_ms", "failures"):
            getattr(self, name).extend(getattr(other, name))
        self.raised += other.raised


class Client:
    """One user's keep-alive connection and bearer token."""

    def __init__(self, host, port, token):
        self.host, self.port, self.token = host, port, token
        self.connection = http.client.HTTPConnection(host, port, timeout=300)

    def call(self, method, path, body=None):
        """(status, parsed JSON or None, milliseconds); a lost connection raises Failure."""
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
            raise Failure(f"{method} {path}: no answer ({error!r})") from error
        elapsed = (time.perf_counter() - start) * 1000
        parsed = json.loads(payload) if payload and response.getheader("Content-Type", "").startswith(("application/json", "application/problem+json")) else None
        return response.status, parsed, elapsed


def refusal_reason(status, problem):
    """A refusal's reason without the event's id, times and department: "409 cannot verify: only a
    resolved event is verified (it is verified)"."""
    detail = (problem or {}).get("detail", "") if isinstance(problem, dict) else ""
    detail = re.sub(r"^event EV-\d+: ", "", detail)
    detail = re.sub(r"; nothing was recorded\.?$", "", detail)
    detail = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+Z", "TIME", detail)
    detail = re.sub(r"EV-\d+", "EV", detail)
    detail = re.sub(r"department [a-z-]+ (resolved|reported)", r"the department \1", detail)
    return f"{status} {detail}"


class User:
    def __init__(self, name, kind, grid=None, department=None, homes=None, categories=None):
        self.name, self.kind, self.grid, self.department, self.homes = name, kind, grid, department, homes
        self.categories = categories
        self.token = None
        self.record = Recorder()
        self.random = random.Random(name)
        self.serial = 0
        self.mine = set()  # events this grid worker raised that are not closed

    def note(self):
        self.serial += 1
        return f"{self.name}#{self.serial}"

    def act(self, client, event, action, body=None, twice=False):
        """Takes `action` on `event` (and, when `twice`, the same request on a second connection at
        the same moment). Returns the event's record as acknowledged, or None."""
        body = dict(body or {})
        body["note"] = self.note()
        path = f"/events/{event}/{action}"
        if not twice:
            return self.outcome(event, action, body, *client.call("POST", path, body))
        # The same request but for its note (each its own, so the check tells them apart).
        bodies = [body, dict(body, note=self.note())]
        other = Client(client.host, client.port, client.token)
        answers = [None, None]
        start = threading.Barrier(2)

        def send(index, which):
            start.wait()
            try:
                answers[index] = which.call("POST", path, bodies[index])
            except Failure as failure:
                answers[index] = failure

        helper = threading.Thread(target=send, args=(1, other))
        helper.start()
        send(0, client)
        helper.join()
        other.connection.close()
        results = []
        for sent, answer in zip(bodies, answers):
            if isinstance(answer, Failure):
                self.record.failures.append(str(answer))
                continue
            results.append(self.outcome(event, action, sent, *answer))
        accepted = [result for result in results if result is not None]
        # Both taken is right only with another step between them (a send-back between two
        # resolves); one right after the other, the second acted on a state that refuses it.
        if len(accepted) == 2 and abs(len(accepted[0]["history"]) - len(accepted[1]["history"])) == 1:
            self.record.failures.append(f"{event}: {action} sent twice at once ({body['note']}) was taken twice in a row")
        return accepted[0] if accepted else None

    def outcome(self, event, action, body, status, answer, milliseconds):
        self.record.write_ms.append(milliseconds)
        if status in (200, 201):
            history = answer["history"]
            position = len(history)
            last = history[-1]
            if last["action"] != action or (last.get("note") is not None and body["note"] not in last["note"]):
                self.record.failures.append(f"{event}: the answer to {action} ({body['note']}) ends with another entry: {last}")
            self.record.acknowledged.append((event, position, action, body["note"]))
            return answer
        if status == 409:
            self.record.refused.append((event, action, body["note"], status, refusal_reason(status, answer)))
            return None
        self.record.failures.append(f"{event}: {action} answered {status}: {answer}")
        return None

    def read(self, client, path):
        status, answer, milliseconds = client.call("GET", path)
        self.record.read_ms.append(milliseconds)
        if status != 200:
            self.record.failures.append(f"GET {path} answered {status}: {answer}")
            return []
        return answer

    def run(self, host, port, deadline):
        client = Client(host, port, self.token)
        try:
            while time.monotonic() < deadline:
                try:
                    if self.kind == "grid":
                        self.grid_step(client)
                    else:
                        self.department_step(client)
                except Failure as failure:
                    self.record.failures.append(str(failure))
        finally:
            client.connection.close()

    def grid_step(self, client):
        rng = self.random
        if len(self.mine) < OPEN_PER_WORKER:
            lon, lat = rng.choice(self.homes)
            body = {"category": rng.choice(self.categories), "lon": lon, "lat": lat, "description": f"raised by {self.note()}"}
            status, answer, milliseconds = client.call("POST", "/events", body)
            self.record.write_ms.append(milliseconds)
            if status != 201:
                self.record.failures.append(f"raise in {self.grid} answered {status}: {answer}")
                return
            event = answer["id"]
            self.record.raised += 1
            self.record.acknowledged.append((event, 1, "raise", body["description"]))
            self.mine.add(event)
            if rng.random() < 0.1:
                if self.act(client, event, "take"):
                    self.act(client, event, "resolve")
            else:
                self.act(client, event, "whistle")
            return
        acted = False
        for state in ("awaiting-verification", "verified"):
            events = self.read(client, f"/events?grid={self.grid}&state={state}")
            rng.shuffle(events)
            for event in events[:3]:
                twice = rng.random() < 0.1
                if state == "awaiting-verification":
                    if rng.random() < 0.125:
                        self.act(client, event["id"], "send-back", {"reason": "not fixed: the ditch still floods"})
                    else:
                        self.act(client, event["id"], "verify", twice=twice)
                elif rng.random() < 0.125:
                    self.act(client, event["id"], "send-back", {"reason": "the resident is not satisfied"})
                else:
                    rating = rng.choice(["satisfied", "satisfied", "basically-satisfied", "dissatisfied"])
                    if self.act(client, event["id"], "close", {"satisfaction": rating}, twice=twice):
                        self.mine.discard(event["id"])
                acted = True
        # The grid's own handling after a send-back: resolve it again.
        for event in self.read(client, f"/events?grid={self.grid}&state=handled-by-grid")[:2]:
            self.act(client, event["id"], "resolve")
            acted = True
        # Events the other coordinator closed are no longer this worker's to wait for.
        if not acted:
            for event in sorted(self.mine):
                if self.read(client, f"/events/{event}").get("state") == "closed":
                    self.mine.discard(event)
            time.sleep(0.05)

    def department_step(self, client):
        rng = self.random
        queue = self.read(client, f"/departments/{self.department}/queue")
        rng.shuffle(queue)
        for item in queue[:4]:
            action = "report-in" if item["state"] == "awaiting-report-in" else "resolve"
            self.act(client, item["event"]["id"], action, twice=rng.random() < 0.1)
        if not queue:
            time.sleep(0.05)


def grid_homes():
    """Per grid, the homes strictly inside one of its micro-grids (never on an edge), as lon, lat."""
    microgrids = json.loads((TOWN / "microgrids.geojson").read_text())["features"]
    polygons = [shape(feature["geometry"]) for feature in microgrids]
    grids = [feature["properties"]["grid"] for feature in microgrids]
    homes = json.loads((TOWN / "homes.geojson").read_text())["features"]
    points = [shapely.Point(feature["geometry"]["coordinates"][:2]) for feature in homes]
    tree = shapely.STRtree(polygons)
    inside, within = tree.query(points, predicate="within")
    per_grid = collections.defaultdict(list)
    counts = collections.Counter(inside)
    for point, polygon in zip(inside, within):
        if counts[point] == 1 and polygons[polygon].exterior.distance(points[point]) > 1e-5:
            per_grid[grids[polygon]].append(tuple(homes[point]["geometry"]["coordinates"][:2]))
    return per_grid


def make_users(count, homes):
    departments = max(1, count // 5)
    grid_users = count - departments
    grids = sorted(grid for grid, places in homes.items() if len(places) >= 5)
    if (grid_users + 1) // 2 > len(grids):
        raise SystemExit(f"server_events: {grid_users} grid workers need {(grid_users + 1) // 2} grids; the town has {len(grids)}")
    staffed = set(DEPARTMENTS[:departments])
    categories = sorted(code for code, defaults in CATEGORIES.items() if staffed.issuperset(defaults))
    if not categories:
        raise SystemExit(f"server_events: {count} users staff too few departments for any category (at least 10 users)")
    users = []
    for index in range(grid_users):
        grid, role = grids[index // 2], ("chief", "liaison")[index % 2]
        users.append(User(f"{grid.lower()}-{role}", "grid", grid=grid, homes=homes[grid], categories=categories))
        users[-1].role, users[-1].acting_as = f"grid-worker:{grid}", role
    for index in range(departments):
        code = DEPARTMENTS[index % len(DEPARTMENTS)]
        name = f"{code}-{index // len(DEPARTMENTS) + 1}"
        users.append(User(name, "department", department=code))
        users[-1].role, users[-1].acting_as = f"department:{code}", name
    return users


def run_quietly(command, what, stdin=None):
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"server_events: {what} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


def add_accounts(gridmap, db, users):
    """One account per user and the office's, with `gridmap user add`, two at a time (bcrypt)."""
    accounts = [(user.name, user.role, user.acting_as) for user in users] + [("bench-office", "office", "bench")]
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda account: run_quietly(
            [gridmap, "user", "add", account[0], "--role", account[1], "--as", account[2], "--db", db],
            f"gridmap user add {account[0]}", stdin=PASSWORD + "\n"), accounts))


def sign_in(url, name):
    host, port = urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port
    connection = http.client.HTTPConnection(host, port, timeout=120)
    connection.request("POST", "/auth/token", body=json.dumps({"name": name, "password": PASSWORD}),
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    if response.status != 200:
        raise SystemExit(f"server_events: signing {name} in answered {response.status}: {answer}")
    return answer["token"]


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        raise SystemExit("server_events: gridmap serve did not stop within 60 s of SIGTERM")


def cpu_seconds(pid, children=False):
    """The CPU seconds process `pid` has used; with `children`, those of its children too, live
    (PostgreSQL's backends) or ended."""
    def own(process, ended=False):
        try:
            fields = open(f"/proc/{process}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            return 0
        return sum(int(field) for field in fields[11:15 if ended else 13]) / os.sysconf("SC_CLK_TCK")
    if not children:
        return own(pid)
    try:
        live = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        live = []
    return own(pid, ended=True) + sum(own(child) for child in live)


def postmaster(uri):
    """The pid of the PostgreSQL server whose socket folder `uri` names (host=FOLDER), when this
    machine runs it from FOLDER/data (postgres_cluster.py, tools/test-postgres); else None."""
    host = urllib.parse.parse_qs(urllib.parse.urlparse(uri).query).get("host", [None])[0]
    try:
        return int(open(pathlib.Path(host) / "data/postmaster.pid").readline())
    except (OSError, TypeError, ValueError):
        return None


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


def load(gridmap, db, users, seconds, database_pid):
    """Starts the server, signs everyone in, runs the users; returns the merged record, the run's
    seconds, the server's CPU seconds and peak memory, and the database server's CPU seconds
    (None without one)."""
    server, url = start_gridmap(gridmap, db, read_only=False)
    try:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            tokens = list(pool.map(lambda user: sign_in(url, user.name), users))
        for user, token in zip(users, tokens):
            user.token = token
        parsed = urllib.parse.urlparse(url)
        cpu_before = cpu_seconds(server.pid)
        database_before = cpu_seconds(database_pid, children=True) if database_pid else None
        start = time.monotonic()
        deadline = start + seconds
        threads = [threading.Thread(target=user.run, args=(parsed.hostname, parsed.port, deadline)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
        cpu = cpu_seconds(server.pid) - cpu_before
        database_cpu = cpu_seconds(database_pid, children=True) - database_before if database_pid else None
        peak = peak_rss(server.pid)
    finally:
        stop(server)
    record = Recorder()
    for user in users:
        record.merge(user.record)
    return record, elapsed, cpu, peak, database_cpu


def check(gridmap, db, record):
    """Every acknowledged event and entry in the store, at its place; nothing else there. Returns
    (events, entries, problems)."""
    server, url = start_gridmap(gridmap, db, read_only=False)
    try:
        parsed = urllib.parse.urlparse(url)
        office = Client(parsed.hostname, parsed.port, sign_in(url, "bench-office"))
        status, stored, _ = office.call("GET", "/events")
        if status != 200:
            raise SystemExit(f"server_events: reading the events as the office answered {status}: {stored}")
    finally:
        stop(server)
    problems = list(record.failures)
    expected = collections.defaultdict(dict)
    for event, position, action, note in record.acknowledged:
        if position in expected[event]:
            problems.append(f"{event}: two acknowledged actions both say they added entry {position}: "
                            f"{expected[event][position]} and {(action, note)}")
        expected[event][position] = (action, note)
    by_id = {event["id"]: event for event in stored}
    for event in sorted(set(expected) - set(by_id)):
        problems.append(f"{event}: acknowledged ({len(expected[event])} entries) but not in the store")
    for event in sorted(set(by_id) - set(expected)):
        problems.append(f"{event}: in the store but never acknowledged: {by_id[event]['history']}")
    entries = 0
    for event, wanted in expected.items():
        stored_event = by_id.get(event)
        if stored_event is None:
            continue
        history = stored_event["history"]
        entries += len(history)
        for position, (action, note) in sorted(wanted.items()):
            if position > len(history):
                problems.append(f"{event}: acknowledged entry {position} ({action}, {note}) missing: the history has {len(history)}")
                continue
            entry = history[position - 1]
            text = stored_event.get("description") if action == "raise" else entry.get("note")
            if entry["action"] != action or text is None or note not in text:
                problems.append(f"{event}: entry {position} is {entry['action']} ({text!r}), acknowledged as {action} ({note})")
        for position in range(1, len(history) + 1):
            if position not in wanted:
                problems.append(f"{event}: entry {position} ({history[position - 1]}) was never acknowledged")
        times = [entry["at"] for entry in history]
        if times != sorted(times):
            problems.append(f"{event}: the history is out of time order: {times}")
    # Every note is unique ("user#serial"): a refused request's must be nowhere in the store.
    kept = {token for event in stored for text in [event.get("description") or ""] + [entry.get("note") or "" for entry in event["history"]]
            for token in NOTE.findall(text)}
    for event, action, note, _, reason in record.refused:
        if note in kept:
            problems.append(f"{event}: the refused {action} ({note}: {reason}) left an entry")
    # The command line reads the same store: the same events, in the same states.
    listed = run_quietly([gridmap, "event", "list", "--db", db], "gridmap event list").splitlines()
    header = listed[0].split(",")
    column_id, column_state = header.index("id"), header.index("state")
    states = {row.split(",")[column_id]: row.split(",")[column_state] for row in listed[1:] if row}
    if states.keys() != by_id.keys():
        problems.append(f"gridmap event list lists {len(states)} events, the server {len(by_id)}")
    for event, state in states.items():
        if event in by_id and by_id[event]["state"] != state:
            problems.append(f"{event}: gridmap event list says {state}, the server {by_id[event]['state']}")
    return len(by_id), entries, problems


def measure(gridmap, db, users, seconds, store):
    run_quietly([gridmap, "import", str(TOWN), "--db", db], f"gridmap import into {store}")
    print(f"server_events: {store}: {len(users) + 1} accounts", file=sys.stderr, flush=True)
    add_accounts(gridmap, db, users)
    print(f"server_events: {store}: {len(users)} users for {seconds} s", file=sys.stderr, flush=True)
    database_pid = postmaster(db) if store == "postgres" else None
    record, elapsed, cpu, peak, database_cpu = load(gridmap, db, users, seconds, database_pid)
    events, entries, problems = check(gridmap, db, record)
    refusals = collections.Counter(reason for *_, reason in record.refused)
    actions = len(record.acknowledged)
    every = record.read_ms + record.write_ms
    if problems:
        print(f"server_events: FAILED on {store}: {len(problems)} problems", file=sys.stderr)
        for problem in problems[:40]:
            print(f"  {problem}", file=sys.stderr)
        answers = f"DIFFERENT: {len(problems)} problems in the store after the run (printed above)"
    else:
        answers = (f"same (all {events} acknowledged events and {entries} history entries in the store, in order; "
                   f"none of {len(record.refused)} refused actions left a trace; gridmap event list agrees)")
    line = dict(bench=f"server-events-{store}", seconds=round(elapsed, 3), items=actions, answers=answers, peak_rss_mb=peak,
                users=len(users), actions_per_s=round(actions / elapsed, 1), raised_per_s=round(record.raised / elapsed, 1),
                requests_per_s=round(len(every) / elapsed), p50_ms=percentile(every, 0.5), p99_ms=percentile(every, 0.99),
                write_p50_ms=percentile(record.write_ms, 0.5), write_p99_ms=percentile(record.write_ms, 0.99),
                non_2xx=len(record.refused), refusals="; ".join(f"{count} {reason}" for reason, count in refusals.most_common()) or "none",
                server_cpu_seconds=round(cpu, 1),
                **({"postgres_cpu_seconds": round(database_cpu, 1)} if database_cpu is not None else {}),
                work=f"{len(users)} signed-in users (grid workers and departments), no think time; every step through the flow on one store")
    return line, not problems


def main():
    parser = bench_common.folder_argument(description=__doc__)
    parser.add_argument("--gridmap", required=True, help="the gridmap executable (a release build)")
    parser.add_argument("--postgres-uri", help="an empty PostgreSQL database to make the store in (default: a throw-away "
                                               "cluster of its own, postgres_cluster.py, durable commits as SQLite's)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--stores", default="sqlite,postgres", help="which stores, in order")
    arguments = parser.parse_args()
    homes = grid_homes()
    with contextlib.ExitStack() as cleanup:
        uri = arguments.postgres_uri
        if uri is None and "postgres" in arguments.stores.split(","):
            cluster = cleanup.enter_context(PostgresCluster())
            uri = f"postgresql:///postgres?host={cluster.scratch}&port={POSTGRES_PORT}&user=postgres"
        return measure_all(arguments, homes, {"sqlite": str(arguments.dir / "server-events.sqlite"), "postgres": uri})


def measure_all(arguments, homes, stores):
    lines, good = {}, True
    for store in arguments.stores.split(","):
        line, passed = measure(arguments.gridmap, stores[store], make_users(arguments.users, homes), arguments.seconds, store)
        good &= passed
        if store == "postgres" and "sqlite" in lines:
            line["postgres_over_sqlite"] = round(line["actions_per_s"] / lines["sqlite"]["actions_per_s"], 2)
        lines[store] = line
        bench_common.report(**{key: value for key, value in line.items()})
    if not good:
        print("server_events: FAILED: acknowledged work is missing or refused work left a trace (above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
