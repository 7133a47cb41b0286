#!/usr/bin/env python3
"""NetworkX side of `gridmap-bench roads` (run that first; roads_shared.py names the files).

The graph: an undirected nx.Graph of GridMap's noded edges, keeping the shortest of parallel
edges (the only one a shortest path can use) and dropping loops (never on a shortest path).
Each bench runs in its own process, so its peak RSS is its own; timed: the queries only, the
fastest of three runs.
  roads-paths-networkx    nx.dijkstra_path_length for each of the 1,000 pairs
  roads-matrix-networkx   nx.single_source_dijkstra_path_length from each of the 300 nodes
                          (the whole graph), read at the 300 nodes
"""
import subprocess
import sys
import networkx as nx

import roads_shared

BENCHES = ["roads-paths-networkx", "roads-matrix-networkx"]


def graph():
    g = nx.Graph()
    for _, source, target, length in roads_shared.edges():
        if source != target and (not g.has_edge(source, target) or g[source][target]["length"] > length):
            g.add_edge(source, target, length=length)
    return g


def paths():
    g, pairs = graph(), roads_shared.pairs()
    seconds, lengths = roads_shared.fastest(
        lambda: [nx.dijkstra_path_length(g, source, target, weight="length") for source, target, _ in pairs])
    wrong = roads_shared.disagreements("roads-paths-networkx", [
        (f"pair {s}->{t}", peer, ours) for (s, t, ours), peer in zip(pairs, lengths)])
    roads_shared.report("roads-paths-networkx", seconds, len(pairs), disagreements=wrong, networkx=nx.__version__)


def matrix():
    g = graph()
    nodes, ours = roads_shared.matrix()

    def rows():
        values = []
        for source in nodes:
            reached = nx.single_source_dijkstra_path_length(g, source, weight="length")
            values.append([reached.get(target, float("inf")) for target in nodes])
        return values

    seconds, values = roads_shared.fastest(rows)
    wrong = roads_shared.disagreements("roads-matrix-networkx", [
        (f"cell {i},{j}", values[i][j], ours[i][j]) for i in range(len(nodes)) for j in range(len(nodes)) if i != j])
    roads_shared.report("roads-matrix-networkx", seconds, len(nodes) ** 2, disagreements=wrong, networkx=nx.__version__)


def main():
    benches = sys.argv[1:]
    if len(benches) == 1:
        run = {"roads-paths-networkx": paths, "roads-matrix-networkx": matrix}.get(benches[0])
        if run is None:
            raise SystemExit(f"roads_networkx: unknown bench {benches[0]} ({' | '.join(BENCHES)})")
        run()
        return
    for bench in benches or BENCHES:
        subprocess.run([sys.executable, __file__, bench], check=True)


if __name__ == "__main__":
    main()
