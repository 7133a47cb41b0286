#!/usr/bin/env python3
"""NetworkX side of `gridmap-bench roads-nearest` (run that first with the same --dir): every
home's nearest facility along the roads, by nx.multi_source_dijkstra from the facilities.

Reads roads-edges.csv (the noded edges, as roads_shared.py), nearest-facilities.csv and
nearest-homes.csv (each place's edge, offset along it and off-road metres, as GridMap snapped
it; the homes with GridMap's answer). The graph: roads_networkx.graph (shortest of parallel
edges, no loops) plus one node per facility joined to its edge's two ends (off-road + the
partial edge each way). A home's distance: the least of its edge's ends' distance + the partial
edge + its off-road metres, and of the facilities on its own edge directly.
Timed (the fastest of three): adding the facility nodes, multi_source_dijkstra, one answer per
home (the graph built before). Answers: the distance within 1 mm of GridMap's; the facility the
same, or an equally near one (a tie, counted as benign).
"""
import math

import networkx as nx

import bench_common
import roads_shared
from roads_networkx import graph


def places(path, extra=0):
    return [(row[0], int(row[1]), float(row[2]), float(row[3]), *row[4:4 + extra])
            for row in bench_common.rows(path)]


def main():
    arguments = bench_common.folder_argument(description=__doc__).parse_args()
    folder = arguments.dir
    edges = roads_shared.edges(folder)
    ends = {e: (s, t, length) for e, s, t, length in edges}
    facilities = places(folder / "nearest-facilities.csv")
    homes = places(folder / "nearest-homes.csv", extra=2)
    base = graph(edges)
    on_edge = {}
    for f, (_, edge, offset, off_road) in enumerate(facilities):
        on_edge.setdefault(edge, []).append(f)

    def answer_all():
        g = base.copy()
        for f, (_, edge, offset, off_road) in enumerate(facilities):
            s, t, length = ends[edge]
            for vertex, partial in ((s, offset), (t, length - offset)):
                weight = off_road + partial
                if not g.has_edge(("f", f), vertex) or g[("f", f)][vertex]["length"] > weight:
                    g.add_edge(("f", f), vertex, length=weight)
        distance, path = nx.multi_source_dijkstra(g, [("f", f) for f in range(len(facilities))], weight="length")
        answers = []
        for _, edge, offset, off_road, *_ in homes:
            s, t, length = ends[edge]
            best = (math.inf, None)
            for vertex, partial in ((s, offset), (t, length - offset)):
                if vertex in distance:
                    best = min(best, (distance[vertex] + partial + off_road, facilities[path[vertex][0][1]][0]))
            for f in on_edge.get(edge, []):
                _, _, there, there_off = facilities[f]
                best = min(best, (abs(there - offset) + there_off + off_road, facilities[f][0]))
            answers.append(best)
        return answers

    seconds, answers = roads_shared.fastest(answer_all)
    real, ties = 0, 0
    for (home, *_, ours_id, ours_metres), (metres, facility) in zip(homes, answers):
        ours_metres = float(ours_metres)
        if not (abs(metres - ours_metres) <= bench_common.TOLERANCE_METRES or metres == ours_metres):
            real += 1
        elif facility != (ours_id or None):
            ties += 1
    verdict = bench_common.verdict(len(homes), "homes' nearest facility and distance", real=real,
                                   benign={"equally near facility (a tie)": ties}, tolerance="1 mm")
    bench_common.report("roads-nearest-networkx", seconds, len(homes), verdict, facilities=len(facilities),
                        networkx=nx.__version__, graph="built before")


if __name__ == "__main__":
    main()
