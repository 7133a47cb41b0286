#!/usr/bin/env python3
"""pgRouting side of `gridmap-bench roads` (run that first; roads_shared.py names the files).

Starts a throw-away PostgreSQL cluster (postgres_cluster.py) with pgRouting, loads GridMap's
noded edges as they are (undirected, cost = length in metres; vertex and edge ids shifted by one,
as pgRouting numbers from 1), the pairs and the matrix nodes, then times one query each in a fresh
session (psql's \\timing: execution and the rows' transfer), the fastest of three runs.
"peak_rss_mb" is the serving backend's VmHWM (the shared buffers it touched included).
  roads-paths-pgr_dijkstra    pgr_dijkstra(edges, combinations = the 1,000 pairs, directed => false),
                              each path's last row (its agg_cost)
  roads-matrix-pgr_dijkstra   pgr_dijkstraCostMatrix(edges, the 300 nodes, directed => false)
Needs the Debian packages postgresql-15 and postgresql-15-pgrouting (tools/setup --bench).
"""
import pathlib
import tempfile

import roads_shared
from postgres_cluster import PostgresCluster

EDGES_SQL = "'SELECT id, source, target, cost FROM edges'"


def answers(path):
    """{(source, target): metres} from the query's CSV rows source,target,agg_cost."""
    return {(int(s), int(t)): float(cost) for s, t, cost in roads_shared.rows(path, header=False)}


def fastest_query(db, sql, path):
    """(seconds, peak MiB): the fastest of roads_shared.REPEATS runs, and the largest backend peak."""
    runs = [db.timed_query(sql, path) for _ in range(roads_shared.REPEATS)]
    return min(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def main():
    pairs = roads_shared.pairs()
    nodes, ours = roads_shared.matrix()
    with PostgresCluster() as db, tempfile.TemporaryDirectory() as scratch:
        found = pathlib.Path(scratch) / "found.csv"
        db.psql("CREATE EXTENSION postgis; CREATE EXTENSION pgrouting")
        version = db.value("SELECT pgr_version()")
        db.psql("CREATE TABLE raw_edges (id bigint, source bigint, target bigint, length float8);"
                " CREATE TABLE raw_pairs (source bigint, target bigint, gridmap float8);"
                " CREATE TABLE raw_nodes (node bigint)")
        db.copy_in("raw_edges", roads_shared.EDGES)
        db.copy_in("raw_pairs", roads_shared.PAIRS)
        db.copy_in("raw_nodes", roads_shared.NODES)
        db.psql("CREATE TABLE edges AS SELECT id + 1 AS id, source + 1 AS source, target + 1 AS target, length AS cost"
                " FROM raw_edges;"
                " CREATE TABLE pairs AS SELECT source + 1 AS source, target + 1 AS target FROM raw_pairs;"
                " ANALYZE")

        seconds, peak = fastest_query(
            db, "SELECT start_vid - 1, end_vid - 1, agg_cost FROM pgr_dijkstra("
                f"{EDGES_SQL}, 'SELECT source, target FROM pairs', directed => false) WHERE edge = -1", found)
        reached = answers(found)
        wrong = roads_shared.disagreements("roads-paths-pgr_dijkstra", [
            (f"pair {s}->{t}", reached.get((s, t), float("inf")), metres) for s, t, metres in pairs])
        roads_shared.report("roads-paths-pgr_dijkstra", seconds, len(pairs), peak, disagreements=wrong, pgrouting=version)

        node_list = ",".join(str(node + 1) for node in nodes)
        seconds, peak = fastest_query(
            db, "SELECT start_vid - 1, end_vid - 1, agg_cost FROM pgr_dijkstraCostMatrix("
                f"{EDGES_SQL}, ARRAY[{node_list}]::bigint[], directed => false)", found)
        reached = answers(found)
        wrong = roads_shared.disagreements("roads-matrix-pgr_dijkstra", [
            (f"cell {i},{j}", reached.get((a, b), float("inf")), ours[i][j])
            for i, a in enumerate(nodes) for j, b in enumerate(nodes) if i != j])
        roads_shared.report("roads-matrix-pgr_dijkstra", seconds, len(nodes) ** 2, peak, disagreements=wrong,
                            pgrouting=version)


if __name__ == "__main__":
    main()
