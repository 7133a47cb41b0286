"""What the road-network peers share: the files `gridmap-bench roads` writes, the answer check,
and the JSON result line.

The files (see tools/bench/GridMapBench/RoadsBench.swift): the noded edges
(id,source,target,length; 0-based vertex ids, metres), the 1,000 source,target pairs with
GridMap's distance, the 300 matrix nodes and GridMap's matrix among them. Every peer computes on
those very edges and compares its distances with GridMap's: a disagreement is a difference of
more than 1 mm, or a pair one side reaches and the other does not. Each time is the fastest of
REPEATS runs, as on GridMap's side (its default --repeats).
"""
import json
import math
import resource
import sys
import time

EDGES = "/tmp/gridmap-bench-roads-edges.csv"
PAIRS = "/tmp/gridmap-bench-roads-pairs.csv"
NODES = "/tmp/gridmap-bench-roads-nodes.csv"
MATRIX = "/tmp/gridmap-bench-roads-matrix.csv"
TOLERANCE_METRES = 0.001
REPEATS = 3


def rows(path, header=True):
    with open(path) as file:
        lines = [line.strip() for line in file if line.strip()]
    return [line.split(",") for line in (lines[1:] if header else lines)]


def edges():
    """[(id, source, target, length)] as (int, int, int, float)."""
    return [(int(e), int(s), int(t), float(length)) for e, s, t, length in rows(EDGES)]


def pairs():
    """[(source, target, GridMap's metres)]."""
    return [(int(s), int(t), float(metres)) for s, t, metres in rows(PAIRS)]


def matrix():
    """(nodes, GridMap's matrix as a list of rows)."""
    nodes = [int(node) for (node,) in rows(NODES)]
    values = [[float(value) for value in row] for row in rows(MATRIX, header=False)]
    if len(values) != len(nodes) or any(len(row) != len(nodes) for row in values):
        raise SystemExit(f"roads: {MATRIX} is not {len(nodes)}×{len(nodes)}")
    return nodes, values


def fastest(run):
    """(seconds, result): the fastest of REPEATS calls of `run` and the last call's result."""
    best, result = math.inf, None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def disagreements(bench, answers):
    """Counts the (label, peer metres, GridMap metres) answers that differ by more than 1 mm and
    prints the first few to stderr."""
    wrong = [(label, peer, ours) for label, peer, ours in answers
             if not (math.isfinite(peer) and math.isfinite(ours) and abs(peer - ours) <= TOLERANCE_METRES)
             and peer != ours]
    for label, peer, ours in wrong[:10]:
        print(f"{bench}: {label}: peer {peer!r} m, GridMap {ours!r} m", file=sys.stderr)
    return len(wrong)


def report(bench, seconds, items, peak_rss_mb=None, **extra):
    """Prints the result line; the peak is this process's unless given (a server's)."""
    if peak_rss_mb is None:
        peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": peak_rss_mb,
                      **{key: str(value) for key, value in extra.items()}}), flush=True)
