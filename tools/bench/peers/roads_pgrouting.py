#!/usr/bin/env python3
"""pgRouting side of `gridmap-bench roads` (run that first with the same --dir; roads_shared.py
names the files).

Starts a throw-away PostgreSQL cluster (postgres_cluster.py) with pgRouting, loads GridMap's
noded edges as they are (undirected, cost = length in metres; vertex and edge ids shifted by one,
as pgRouting numbers from 1), the pairs and the matrix nodes, then times one query each in a fresh
session (psql's \\timing: execution and the rows' transfer), the fastest of three runs.
pgRouting has no graph that outlives a call: every call reads the edges with the edges SQL and
builds its graph, then searches. So the matrix is measured both ways, to pair with GridMap's
"roads-matrix" (network built before) and "roads-matrix-with-build":
  roads-graph-pgr_dijkstra           pgr_dijkstraCostMatrix on 2 of the nodes: reading the edges,
                                     building the graph, two searches — about the cost of the build
  roads-paths-pgr_dijkstra           pgr_dijkstra(edges, combinations = the 1,000 pairs, directed => false),
                                     each path's last row (its agg_cost); the graph built once in the call
  roads-matrix-pgr_dijkstra          pgr_dijkstraCostMatrix(edges, the 300 nodes, directed => false):
                                     building the graph and the matrix, as one call does
  roads-matrix-pgr_dijkstra-search   an estimate of the search alone: the matrix call's time less the
                                     2-node call's (its answers are the matrix call's)
"peak_rss_mb" is the serving backend's VmHWM (the shared buffers it touched included).
Needs the Debian packages postgresql-15 and postgresql-15-pgrouting (tools/setup --bench).
"""
import bench_common
import roads_shared
from postgres_cluster import PostgresCluster

EDGES_SQL = "'SELECT id, source, target, cost FROM edges'"


def answers(path):
    """{(source, target): metres} from the query's CSV rows source,target,agg_cost."""
    return {(int(s), int(t)): float(cost) for s, t, cost in bench_common.rows(path, header=False)}


def fastest_query(db, sql, path):
    """(seconds, peak MiB): the fastest of roads_shared.REPEATS runs, and the largest backend peak."""
    runs = [db.timed_query(sql, path) for _ in range(roads_shared.REPEATS)]
    return min(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def matrix_query(nodes):
    node_list = ",".join(str(node + 1) for node in nodes)
    return ("SELECT start_vid - 1, end_vid - 1, agg_cost FROM pgr_dijkstraCostMatrix("
            f"{EDGES_SQL}, ARRAY[{node_list}]::bigint[], directed => false)")


def matrix_answers(bench, found, nodes, ours):
    reached = answers(found)
    return roads_shared.answers(bench, "matrix cells", [
        (f"cell {i},{j}", reached.get((a, b), float("inf")), ours[i][j])
        for i, a in enumerate(nodes) for j, b in enumerate(nodes) if i != j])


def main():
    folder = bench_common.folder_argument(description=__doc__).parse_args().dir
    pairs = roads_shared.pairs(folder)
    nodes, ours = roads_shared.matrix(folder)
    with PostgresCluster() as db:
        found = db.scratch / "found.csv"
        db.psql("CREATE EXTENSION postgis; CREATE EXTENSION pgrouting")
        version = db.value("SELECT pgr_version()")
        db.psql("CREATE TABLE raw_edges (id bigint, source bigint, target bigint, length float8);"
                " CREATE TABLE raw_pairs (source bigint, target bigint, gridmap float8)")
        db.copy_in("raw_edges", folder / "roads-edges.csv")
        db.copy_in("raw_pairs", folder / "roads-pairs.csv")
        db.psql("CREATE TABLE edges AS SELECT id + 1 AS id, source + 1 AS source, target + 1 AS target, length AS cost"
                " FROM raw_edges;"
                " CREATE TABLE pairs AS SELECT source + 1 AS source, target + 1 AS target FROM raw_pairs;"
                " ANALYZE")

        build, peak = fastest_query(db, matrix_query(nodes[:2]), found)
        bench_common.report("roads-graph-pgr_dijkstra", build, 4, matrix_answers("roads-graph-pgr_dijkstra", found,
                                                                                  nodes[:2], ours), peak,
                            pgrouting=version, work="reads the edges, builds the graph, 2 searches")

        seconds, peak = fastest_query(
            db, "SELECT start_vid - 1, end_vid - 1, agg_cost FROM pgr_dijkstra("
                f"{EDGES_SQL}, 'SELECT source, target FROM pairs', directed => false) WHERE edge = -1", found)
        reached = answers(found)
        verdict = roads_shared.answers("roads-paths-pgr_dijkstra", "path lengths", [
            (f"pair {s}->{t}", reached.get((s, t), float("inf")), metres) for s, t, metres in pairs])
        bench_common.report("roads-paths-pgr_dijkstra", seconds, len(pairs), verdict, peak, pgrouting=version,
                            graph="built once in the timed call")

        seconds, peak = fastest_query(db, matrix_query(nodes), found)
        verdict = matrix_answers("roads-matrix-pgr_dijkstra", found, nodes, ours)
        bench_common.report("roads-matrix-pgr_dijkstra", seconds, len(nodes) ** 2, verdict, peak, pgrouting=version,
                            graph="built in the timed call from the edges table")
        bench_common.report("roads-matrix-pgr_dijkstra-search", max(seconds - build, 1e-6), len(nodes) ** 2, verdict,
                            peak, pgrouting=version, graph="not counted",
                            work="estimate: roads-matrix-pgr_dijkstra less roads-graph-pgr_dijkstra")


if __name__ == "__main__":
    main()
