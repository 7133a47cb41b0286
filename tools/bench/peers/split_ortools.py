#!/usr/bin/env python3
"""OR-Tools side of `gridmap-bench split` (run that first with the same --dir).

Reads the integer matrix the Swift bench writes in the run's folder, split-matrix.csv (road
millimetres among the depot, node 0, and the stops), and splits the stops among K vehicles that
all start and end at the depot: arc cost = the matrix, a "distance" dimension over the same
matrix with a global span cost (SetGlobalSpanCostCoefficient(100): the objective is the total
plus 100 × the longest tour, so the longest tour comes first, as MultiWorkerPlanner minimises
it), PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH until the time limit. The matrix is registered
with RegisterTransitMatrix (no Python callback in the search).

Each bench runs in its own process and prints one JSON line with "longest" and "total" (metres,
recomputed here from the routes). The splits are meant to differ (that is the comparison), so
"answers" checks that the figures are comparable: GridMap's tours (split-tours.csv) start and end
at the depot, visit every stop once, and re-measure here, with the code that measures OR-Tools'
routes, to the longest and total GridMap reported (--gridmap-results). Timed: the solve only
(building the model is "setup_seconds").
  split-ortools      time limit = --budget (tools/bench/run passes GridMap's measured time)
  split-ortools-5s   time limit 5 s
"""
import time

import bench_common
from ortools_routing import guided_local_search, route, solve_timed

BENCHES = ["split-ortools", "split-ortools-5s"]
SPAN_COEFFICIENT = 100


def lengths_and_check(matrix, tours, who):
    """Each tour's length on the matrix; exits unless the tours start and end at the depot and
    visit every stop once between them."""
    visited = [stop for order in tours for stop in order[1:-1]]
    if any(order[0] != 0 or order[-1] != 0 for order in tours) or sorted(visited) != list(range(1, len(matrix))):
        raise SystemExit(f"split_ortools: {who}'s tours do not visit every stop once from the depot")
    return [bench_common.walk_length(matrix, order) for order in tours]


def answers(folder, gridmap_results, matrix):
    """The verdict on GridMap's split, re-measured on the matrix."""
    tours = [[int(stop) for stop in line.split()] for (line,) in bench_common.rows(folder / "split-tours.csv", header=False)]
    lengths = lengths_and_check(matrix, tours, "GridMap")
    ours = bench_common.gridmap_result(gridmap_results, "split")
    wrong = int(f"{max(lengths) / 1000:.3f}" != ours["longest"]) + int(f"{sum(lengths) / 1000:.3f}" != ours["total"])
    return bench_common.verdict(2, "GridMap figures, longest and total, re-measured here", real=wrong)


def solve(bench, matrix, workers, time_limit, verdict):
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
    tours = [route(routing, manager, solution, vehicle) for vehicle in range(workers)]
    lengths = lengths_and_check(matrix, tours, bench)
    bench_common.report(bench, seconds, len(matrix) - 1, verdict, workers=workers, time_limit_seconds=time_limit,
                        longest=f"{max(lengths) / 1000:.3f}", total=f"{sum(lengths) / 1000:.3f}",
                        stops_per_worker="/".join(str(len(order) - 2) for order in tours),
                        setup_seconds=round(setup, 3), ortools=ortools.__version__)


def main():
    parser = bench_common.bench_parser(__doc__)
    parser.add_argument("--gridmap-results", required=True, help="GridMap's result lines (split's)")
    parser.add_argument("--workers", type=int, default=4, help="vehicles (default 4)")
    parser.add_argument("--budget", type=float, default=1.0, help="split-ortools's time limit in seconds (default 1)")
    arguments = parser.parse_args()

    def run_one(bench):
        matrix = bench_common.integer_matrix(arguments.dir / "split-matrix.csv")
        solve(bench, matrix, arguments.workers, 5.0 if bench == "split-ortools-5s" else arguments.budget,
              answers(arguments.dir, arguments.gridmap_results, matrix))

    bench_common.run_benches(__file__, arguments, BENCHES, run_one, forwarded=[
        "--gridmap-results", arguments.gridmap_results, "--workers", str(arguments.workers),
        "--budget", str(arguments.budget)])


if __name__ == "__main__":
    main()
