#!/usr/bin/env python3
"""SQLite's side of `gridmap-bench events` (run that first): the town's event figures aggregated
by hand in SQL over the same store file GridMap wrote (DIR/events.sqlite), the way an office would
write the report without GridMap's flow, and compared with GridMap's (DIR/events-figures.json).

The definitions are docs/EVENTS.md's, for the standard catalogue's report-in deadlines (2 hours
urgent, 24 hours normal, from the whistle): collected, whistled, dispatches (departments named in
whistles), reported in and on time, resolved (verified after the last send-back, or closed), closed,
satisfied (satisfied or basically satisfied), sent back. Timed: the one query; not timed: opening
the file. The query reads the same rows GridMap's side reads; it does not check that the histories
follow the flow, which GridMap's side does as it replays them.
"""
import json
import sqlite3
import time

import bench_common

QUERY = """
WITH whistles AS (
    SELECT event_id, at, departments FROM event_entries WHERE action = 'whistle'
), reports AS (
    SELECT r.event_id, r.at, r.department, e.urgency FROM event_entries r JOIN events e ON e.id = r.event_id
    WHERE r.action = 'report-in'
), last AS (
    SELECT event_id,
           max(CASE WHEN action = 'verify' THEN seq END) AS verified,
           max(CASE WHEN action = 'send-back' THEN seq END) AS sent_back,
           max(CASE WHEN action = 'close' THEN seq END) AS closed
    FROM event_entries GROUP BY event_id
)
SELECT
    (SELECT count(*) FROM events) AS collected,
    (SELECT count(DISTINCT event_id) FROM whistles) AS whistled,
    (SELECT coalesce(sum(length(departments) - length(replace(departments, ',', '')) + 1), 0)
       FROM whistles WHERE departments <> '') AS dispatches,
    (SELECT count(*) FROM reports) AS reported_in,
    (SELECT count(*) FROM reports r WHERE r.at <= (
        SELECT max(w.at) FROM whistles w WHERE w.event_id = r.event_id
          AND (',' || w.departments || ',') LIKE ('%,' || r.department || ',%')
       ) + CASE r.urgency WHEN 'urgent' THEN 2 ELSE 24 END * 3600) AS reported_in_on_time,
    (SELECT count(*) FROM last WHERE closed IS NOT NULL
        OR (verified IS NOT NULL AND (sent_back IS NULL OR verified > sent_back))) AS resolved,
    (SELECT count(*) FROM last WHERE closed IS NOT NULL) AS closed,
    (SELECT count(*) FROM event_entries WHERE action = 'close'
        AND satisfaction IN ('satisfied', 'basically-satisfied')) AS satisfied,
    (SELECT count(*) FROM last WHERE sent_back IS NOT NULL) AS sent_back
"""


def main() -> None:
    folder = bench_common.folder_argument(description=__doc__).parse_args().dir
    connection = sqlite3.connect(f"file:{folder / 'events.sqlite'}?mode=ro", uri=True)
    start = time.perf_counter()
    row = connection.execute(QUERY).fetchone()
    seconds = time.perf_counter() - start
    names = [column[0] for column in connection.execute(QUERY + " LIMIT 0").description]
    theirs = dict(zip(names, row))
    ours = json.loads((folder / "events-figures.json").read_text())
    differing = [f"{name} {theirs[name]} vs {ours[name]}" for name in names if theirs[name] != ours.get(name)]
    answers = f"same ({len(names)} figures)" if not differing else "DIFFERENT: " + "; ".join(differing)
    bench_common.report("events-rates-sqlite", seconds, theirs["collected"], answers, sqlite=sqlite3.sqlite_version,
                        work="one hand-written aggregate query; no check that histories follow the flow")


if __name__ == "__main__":
    main()
