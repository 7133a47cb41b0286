#!/usr/bin/env python3
"""LKH-3 (elkai) and OR-Tools side of `gridmap-bench tour` (run that first with the same --dir).

Reads the files the Swift bench writes in the run's folder: tour.csv (the stops, id,x,y) and
tour-matrix.csv (the integer cost matrix, Euclidean × 1000 rounded, one row per line). All
solvers see exactly that matrix; stop 0 starts a closed tour.

Each benchmark runs in its own process (so peak RSS is its own) and prints one JSON line with
"length": the closed tour's total on the matrix, recomputed here from the returned order. The
tours are meant to differ (that is the comparison), so "answers" checks that the lengths are
comparable: this tour visits every stop once, and GridMap's tours (tour-orders.csv) are valid
and re-measure here, with the same code, to the lengths GridMap reported. Timed: the solve only
(building the model or the matrix list is "setup_seconds").
  tour-lkh          elkai.DistanceMatrix(matrix).solve_tsp() (LKH-3, default runs = 10)
  tour-ortools      OR-Tools routing, PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH, time limit 1 s
  tour-ortools-5s   the same with a 5 s time limit
"""
import sys
import time

import bench_common
from ortools_routing import guided_local_search, route, solve_timed

BENCHES = ["tour-lkh", "tour-ortools", "tour-ortools-5s"]


def load_matrix(folder):
    matrix = bench_common.integer_matrix(folder / "tour-matrix.csv")
    stops = len(bench_common.rows(folder / "tour.csv"))
    if len(matrix) != stops:
        raise SystemExit(f"tour_ortools_lkh: tour-matrix.csv is not {stops}×{stops}")
    return matrix


def is_tour(matrix, order):
    """Whether the order starts and ends at 0 and visits every stop once."""
    return order[0] == 0 and order[-1] == 0 and sorted(order[:-1]) == list(range(len(matrix)))


def closed_length(matrix, order):
    """The closed tour's length; exits unless it is a tour through every stop."""
    if not is_tour(matrix, order):
        raise SystemExit(f"tour_ortools_lkh: not a tour through every stop: {order}")
    return bench_common.walk_length(matrix, order)


def answers(folder, matrix):
    """The verdict on GridMap's tours, re-measured on the matrix."""
    tours = bench_common.rows(folder / "tour-orders.csv")
    wrong = 0
    for bench, length, order in tours:
        order = [int(stop) for stop in order.split()]
        if not is_tour(matrix, order) or bench_common.walk_length(matrix, order) != int(length):
            print(f"tour_ortools_lkh: GridMap's {bench} is not a tour of length {length}", file=sys.stderr)
            wrong += 1
    return bench_common.verdict(len(tours), "GridMap tours, valid and re-measured here to their reported lengths",
                                real=wrong)


def lkh(folder, matrix):
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
    bench_common.report("tour-lkh", seconds, len(matrix), answers(folder, matrix), length=closed_length(matrix, order),
                        runs=10, setup_seconds=round(setup, 3), elkai="2.0.1")


def ortools(folder, bench, matrix, time_limit):
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
    bench_common.report(bench, seconds, len(matrix), answers(folder, matrix), length=closed_length(matrix, order),
                        time_limit_seconds=time_limit, setup_seconds=round(setup, 3), ortools=ortools.__version__)


def run(folder, bench, budget):
    matrix = load_matrix(folder)
    if bench == "tour-lkh":
        lkh(folder, matrix)
    elif bench == "tour-ortools":
        ortools(folder, bench, matrix, budget)
    elif bench == "tour-ortools-5s":
        ortools(folder, bench, matrix, 5.0)
    else:
        raise SystemExit(f"tour_ortools_lkh: unknown bench {bench}")


def main():
    parser = bench_common.bench_parser(__doc__)
    parser.add_argument("--budget", type=float, default=1.0, help="tour-ortools's time limit in seconds (default 1)")
    arguments = parser.parse_args()
    bench_common.run_benches(__file__, arguments, BENCHES, lambda bench: run(arguments.dir, bench, arguments.budget),
                             forwarded=["--budget", str(arguments.budget)])


if __name__ == "__main__":
    main()
