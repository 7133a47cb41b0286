#!/usr/bin/env python3
"""OR-Tools side of `gridmap-bench split` (run that first).

Reads the integer matrix the Swift bench writes, /tmp/gridmap-bench-split-matrix.csv (road
millimetres among the depot, node 0, and the stops), and splits the stops among K vehicles that
all start and end at the depot: arc cost = the matrix, a "distance" dimension over the same
matrix with a global span cost (SetGlobalSpanCostCoefficient(100): the objective is the total
plus 100 × the longest tour, so the longest tour comes first, as MultiWorkerPlanner minimises
it), PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH until the time limit. The matrix is registered
with RegisterTransitMatrix (no Python callback in the search).

Each bench runs in its own process and prints one JSON line with "longest" and "total" (metres,
recomputed here from the routes). Timed: the solve only (building the model is "setup_seconds").
  split-ortools      time limit = --budget (tools/bench/run passes GridMap's measured time)
  split-ortools-5s   time limit 5 s
"""
import argparse
import json
import resource
import subprocess
import sys
import time

from ortools_routing import guided_local_search, route, solve_timed

MATRIX = "/tmp/gridmap-bench-split-matrix.csv"
BENCHES = ["split-ortools", "split-ortools-5s"]
SPAN_COEFFICIENT = 100


def load_matrix():
    with open(MATRIX) as file:
        matrix = [[int(value) for value in line.split(",")] for line in file if line.strip()]
    if any(len(row) != len(matrix) for row in matrix):
        raise SystemExit(f"split_ortools: {MATRIX} is not square")
    return matrix


def solve(bench, matrix, workers, time_limit):
    import ortools
    from ortools.constraint_solver import pywrapcp
    setup = time.perf_counter()
    manager = pywrapcp.RoutingIndexManager(len(matrix), workers, 0)
    routing = pywrapcp.RoutingModel(manager)
    transit = routing.RegisterTransitMatrix(matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    longest_possible = sum(max(row) for row in matrix)   # no tour is longer than this
    routing.AddDimension(transit, 0, longest_possible, True, "distance")
    routing.GetDimensionOrDie("distance").SetGlobalSpanCostCoefficient(SPAN_COEFFICIENT)
    parameters = guided_local_search(time_limit)
    setup = time.perf_counter() - setup
    solution, seconds = solve_timed(routing, parameters, f"split_ortools: {bench}")
    lengths, visited, sizes = [], [], []
    for vehicle in range(workers):
        order = route(routing, manager, solution, vehicle)
        visited += order[1:-1]
        sizes.append(len(order) - 2)
        lengths.append(sum(matrix[a][b] for a, b in zip(order, order[1:])))
    if sorted(visited) != list(range(1, len(matrix))):
        raise SystemExit(f"split_ortools: {bench} does not visit every stop once")
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"bench": bench, "seconds": seconds, "items": len(matrix) - 1, "peak_rss_mb": round(peak_rss_mb, 1),
                      "workers": str(workers), "time_limit_seconds": str(time_limit),
                      "longest": f"{max(lengths) / 1000:.3f}", "total": f"{sum(lengths) / 1000:.3f}",
                      "stops_per_worker": "/".join(map(str, sizes)),
                      "setup_seconds": str(round(setup, 3)), "ortools": ortools.__version__}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", nargs="*", help="the benches to run (default: all, each in its own process)")
    parser.add_argument("--workers", type=int, default=4, help="vehicles (default 4)")
    parser.add_argument("--budget", type=float, default=1.0, help="split-ortools's time limit in seconds (default 1)")
    arguments = parser.parse_args()
    if len(arguments.bench) == 1:
        bench = arguments.bench[0]
        if bench not in BENCHES:
            raise SystemExit(f"split_ortools: unknown bench {bench} ({' | '.join(BENCHES)})")
        solve(bench, load_matrix(), arguments.workers, 5.0 if bench == "split-ortools-5s" else arguments.budget)
        return
    for bench in arguments.bench or BENCHES:
        subprocess.run([sys.executable, __file__, bench, "--workers", str(arguments.workers),
                        "--budget", str(arguments.budget)], check=True)


if __name__ == "__main__":
    main()
