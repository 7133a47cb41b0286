"""What the road-network peers share: the files `gridmap-bench roads` writes in the run's folder,
and the answer check.

The files (see tools/bench/GridMapBench/RoadsBench.swift): roads-edges.csv, the noded edges
(id,source,target,length; 0-based vertex ids, metres), roads-pairs.csv, the 1,000
source,target pairs with GridMap's distance, roads-nodes.csv, the 300 matrix nodes, and
roads-matrix.csv, GridMap's matrix among them. Every peer computes on those very edges and
compares its distances with GridMap's: a difference is more than 1 mm, or a pair one side
reaches and the other does not. Each time is the fastest of REPEATS runs, as on GridMap's side
(its default --repeats).
"""
import math
import sys
import time

import bench_common

REPEATS = 3


def edges(folder):
    """[(id, source, target, length)] as (int, int, int, float)."""
    return [(int(e), int(s), int(t), float(length)) for e, s, t, length in bench_common.rows(folder / "roads-edges.csv")]


def pairs(folder):
    """[(source, target, GridMap's metres)]."""
    return [(int(s), int(t), float(metres)) for s, t, metres in bench_common.rows(folder / "roads-pairs.csv")]


def matrix(folder):
    """(nodes, GridMap's matrix as a list of rows)."""
    nodes = [int(node) for (node,) in bench_common.rows(folder / "roads-nodes.csv")]
    values = [[float(value) for value in row] for row in bench_common.rows(folder / "roads-matrix.csv", header=False)]
    if len(values) != len(nodes) or any(len(row) != len(nodes) for row in values):
        raise SystemExit(f"roads: roads-matrix.csv is not {len(nodes)}×{len(nodes)}")
    return nodes, values


def fastest(run):
    """(seconds, result): the fastest of REPEATS calls of `run` and the last call's result."""
    best, result = math.inf, None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def answers(bench, what, compared):
    """The verdict on (label, peer metres, GridMap metres) answers: those more than 1 mm apart
    differ (the first few are printed to stderr)."""
    wrong = [(label, peer, ours) for label, peer, ours in compared
             if not (math.isfinite(peer) and math.isfinite(ours)
                     and abs(peer - ours) <= bench_common.TOLERANCE_METRES) and peer != ours]
    for label, peer, ours in wrong[:10]:
        print(f"{bench}: {label}: peer {peer!r} m, GridMap {ours!r} m", file=sys.stderr)
    return bench_common.verdict(len(compared), what, real=len(wrong), tolerance="1 mm")
