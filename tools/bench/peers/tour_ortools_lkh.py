#!/usr/bin/env python3
"""LKH-3 (elkai) and OR-Tools side of `gridmap-bench tour`.

Reads the files the Swift bench writes (run it first): /tmp/gridmap-bench-tour.csv (the stops,
id,x,y) and /tmp/gridmap-bench-tour-matrix.csv (the integer cost matrix, Euclidean × 1000
rounded, one row per line). All solvers see exactly that matrix; stop 0 starts a closed tour.

Each benchmark runs in its own process (so peak RSS is its own) and prints one JSON line
{"bench": ..., "seconds": ..., "items": ..., "peak_rss_mb": ..., "length": ...}; "length" is the
closed tour's total on the matrix, recomputed here from the returned order. Timed: the solve only
(building the model or the matrix list is "setup_seconds").
  tour-lkh          elkai.DistanceMatrix(matrix).solve_tsp() (LKH-3, default runs = 10)
  tour-ortools      OR-Tools routing, PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH, time limit 1 s
  tour-ortools-5s   the same with a 5 s time limit
"""
import argparse
import json
import resource
import subprocess
import sys
import time

from ortools_routing import guided_local_search, route, solve_timed

STOPS = "/tmp/gridmap-bench-tour.csv"
MATRIX = "/tmp/gridmap-bench-tour-matrix.csv"
BENCHES = ["tour-lkh", "tour-ortools", "tour-ortools-5s"]


def load_matrix():
    with open(MATRIX) as file:
        matrix = [[int(value) for value in line.split(",")] for line in file if line.strip()]
    with open(STOPS) as file:
        stops = sum(1 for line in file) - 1
    if len(matrix) != stops or any(len(row) != stops for row in matrix):
        raise SystemExit(f"tour_ortools_lkh: {MATRIX} is not {stops}×{stops}")
    return matrix


def closed_length(matrix, order):
    """The closed tour's length; checks that it starts and ends at 0 and visits every stop once."""
    if order[0] != 0 or order[-1] != 0 or sorted(order[:-1]) != list(range(len(matrix))):
        raise SystemExit(f"tour_ortools_lkh: not a tour through every stop: {order}")
    return sum(matrix[a][b] for a, b in zip(order, order[1:]))


def report(bench, seconds, items, **extra):
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": round(peak_rss_mb, 1),
                      **{key: str(value) for key, value in extra.items()}}), flush=True)


def lkh(matrix):
    import elkai
    setup = time.perf_counter()
    problem = elkai.DistanceMatrix(matrix)
    setup = time.perf_counter() - setup
    start = time.perf_counter()
    order = problem.solve_tsp()  # closed: [0, ..., 0]
    seconds = time.perf_counter() - start
    if order[0] != 0:   # rotate so the tour starts (and ends) at stop 0
        cycle = order[:-1]
        at = cycle.index(0)
        order = cycle[at:] + cycle[:at] + [0]
    report("tour-lkh", seconds, len(matrix), length=closed_length(matrix, order), runs=10,
           setup_seconds=round(setup, 3), elkai="2.0.1")


def ortools(bench, matrix, time_limit):
    import ortools
    from ortools.constraint_solver import pywrapcp
    setup = time.perf_counter()
    manager = pywrapcp.RoutingIndexManager(len(matrix), 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def cost(from_index, to_index):
        return matrix[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    parameters = guided_local_search(time_limit)
    setup = time.perf_counter() - setup
    solution, seconds = solve_timed(routing, parameters, f"tour_ortools_lkh: {bench}")
    order = route(routing, manager, solution, 0)
    report(bench, seconds, len(matrix), length=closed_length(matrix, order), time_limit_seconds=time_limit,
           setup_seconds=round(setup, 3), ortools=ortools.__version__)


def run(bench, budget):
    matrix = load_matrix()
    if bench == "tour-lkh":
        lkh(matrix)
    elif bench == "tour-ortools":
        ortools(bench, matrix, budget)
    elif bench == "tour-ortools-5s":
        ortools(bench, matrix, 5.0)
    else:
        raise SystemExit(f"tour_ortools_lkh: unknown bench {bench}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", nargs="*", help="the benches to run (default: all, each in its own process)")
    parser.add_argument("--budget", type=float, default=1.0, help="tour-ortools's time limit in seconds (default 1)")
    arguments = parser.parse_args()
    if len(arguments.bench) == 1:
        run(arguments.bench[0], arguments.budget)
        return
    for bench in arguments.bench or BENCHES:
        subprocess.run([sys.executable, __file__, bench, "--budget", str(arguments.budget)], check=True)


if __name__ == "__main__":
    main()
