#!/usr/bin/env python3
"""NetworkX side of `gridmap-bench roads` (run that first with the same --dir; roads_shared.py
names the files).

The graph: an undirected nx.Graph of GridMap's noded edges, keeping the shortest of parallel
edges (the only one a shortest path can use) and dropping loops (never on a shortest path).
Each bench runs in its own process, so its peak RSS is its own; timed: the fastest of three runs.
  roads-paths-networkx              nx.dijkstra_path_length for each of the 1,000 pairs (graph built before)
  roads-matrix-networkx             nx.single_source_dijkstra_path_length from each of the 300 nodes
                                    (the whole graph), read at the 300 nodes (graph built before)
  roads-matrix-networkx-with-build  building the graph from the edge list, then the same matrix
"""

import networkx as nx

import bench_common
import roads_shared

BENCHES = ["roads-paths-networkx", "roads-matrix-networkx", "roads-matrix-networkx-with-build"]


def graph(edges):
    g = nx.Graph()
    for _, source, target, length in edges:
        if source != target and (not g.has_edge(source, target) or g[source][target]["length"] > length):
            g.add_edge(source, target, length=length)
    return g


def paths(folder):
    g, pairs = graph(roads_shared.edges(folder)), roads_shared.pairs(folder)
    seconds, lengths = roads_shared.fastest(
        lambda: [nx.dijkstra_path_length(g, source, target, weight="length") for source, target, _ in pairs])
    answers = roads_shared.answers("roads-paths-networkx", "path lengths", [
        (f"pair {s}->{t}", peer, ours) for (s, t, ours), peer in zip(pairs, lengths)])
    bench_common.report("roads-paths-networkx", seconds, len(pairs), answers, graph="built before",
                        networkx=nx.__version__)


def matrix(folder, bench):
    edges = roads_shared.edges(folder)
    nodes, ours = roads_shared.matrix(folder)
    built = graph(edges)

    def rows():
        g = graph(edges) if bench.endswith("with-build") else built
        values = []
        for source in nodes:
            reached = nx.single_source_dijkstra_path_length(g, source, weight="length")
            values.append([reached.get(target, float("inf")) for target in nodes])
        return values

    seconds, values = roads_shared.fastest(rows)
    answers = roads_shared.answers(bench, "matrix cells", [
        (f"cell {i},{j}", values[i][j], ours[i][j]) for i in range(len(nodes)) for j in range(len(nodes)) if i != j])
    bench_common.report(bench, seconds, len(nodes) ** 2, answers, networkx=nx.__version__,
                        graph="built in the timed run from the edge list" if bench.endswith("with-build") else "built before")


def main():
    arguments = bench_common.bench_parser(__doc__).parse_args()
    bench_common.run_benches(__file__, arguments, BENCHES, lambda bench: (
        paths(arguments.dir) if bench == "roads-paths-networkx" else matrix(arguments.dir, bench)))


if __name__ == "__main__":
    main()
