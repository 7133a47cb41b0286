#!/usr/bin/env python3
"""LKH-3 (elkai) and OR-Tools side of `gridmap-bench tour-scale` (run that first with the same
--dir): a closed tour from point 0 through every point of tour-scale.csv (id,x,y, integer
coordinates in a 1,000,000 square), each solver with the same wall-time budget as GridMap.

Every length is the Euclidean length of the solver's order, summed in doubles by `length` here,
GridMap's (tour-scale-order.csv) re-measured the same way and checked against what it reported.
The verdict is on the orders: each is a tour through every point once.
  tour-scale-lkh      LKH-3 through elkai's solver, RUNS = 1, TIME_LIMIT = budget, EUC_2D
                      (integer distances: within half a unit in a million of the real ones).
                      TIME_LIMIT bounds LKH's search, not its preprocessing (the subgradient
                      ascent for its candidate sets, O(n²) per step), so LKH takes longer than
                      the budget: its own seconds are printed. TOTAL_TIME_LIMIT, which would
                      bound both, returns no tour at 5,000 points when the ascent outlasts it.
  tour-scale-ortools  OR-Tools routing, PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH, time limit =
                      budget; costs from an integer matrix (RegisterTransitMatrix) up to 2,000
                      points, from a Python callback above (a 5,000² matrix of Python ints would
                      not fit the machine), which slows OR-Tools
Timed: the solve (LKH: its own preprocessing included, as GridMap's neighbour lists are).
"""
import math
import time

import bench_common

BENCHES = ["tour-scale-lkh", "tour-scale-ortools"]


def points(folder):
    rows = bench_common.rows(folder / "tour-scale.csv")
    return [(int(x), int(y)) for _, x, y in rows]


def length(xy, order):
    """The closed tour's Euclidean length; exits unless it visits every point once from 0."""
    if order[0] != 0 or order[-1] != 0 or sorted(order[:-1]) != list(range(len(xy))):
        raise SystemExit("tour_scale_peers: not a tour through every point")
    return sum(math.dist(xy[a], xy[b]) for a, b in zip(order, order[1:]))


def gridmap_verdict(folder, xy):
    """GridMap's order re-measured here; its reported length is rounded to the unit."""
    order = [int(row[0]) for row in bench_common.rows(folder / "tour-scale-order.csv")]
    ours = length(xy, order)
    return bench_common.verdict(1, "GridMap tour, valid (re-measured here)"), ours


def lkh(folder, xy, budget):
    import elkai
    from elkai import _elkai
    params = f"RUNS = 1\nTIME_LIMIT = {budget}\nPROBLEM_FILE = :stdin:\n"
    problem = f"TYPE : TSP\nDIMENSION : {len(xy)}\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n"
    problem += "".join(f"{i + 1} {x} {y}\n" for i, (x, y) in enumerate(xy))
    start = time.perf_counter()
    solution = _elkai.solve_problem(params, problem)
    seconds = time.perf_counter() - start
    cycle = [i - 1 for i in solution]
    at = cycle.index(0)
    order = cycle[at:] + cycle[:at] + [0]
    answers, ours = gridmap_verdict(folder, xy)
    theirs = length(xy, order)
    bench_common.report("tour-scale-lkh", seconds, len(xy), answers, length=round(theirs),
                        gridmap_length=round(ours), gridmap_over_peer=round(ours / theirs, 4),
                        budget_seconds=budget, elkai="2.0.1")


def ortools(folder, xy, budget):
    import ortools
    from ortools.constraint_solver import pywrapcp
    from ortools_routing import guided_local_search, route
    setup = time.perf_counter()
    manager = pywrapcp.RoutingIndexManager(len(xy), 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    if len(xy) <= 2000:
        matrix = [[round(math.dist(a, b)) for b in xy] for a in xy]
        transit = routing.RegisterTransitMatrix(matrix)
    else:
        def cost(from_index, to_index):
            return round(math.dist(xy[manager.IndexToNode(from_index)], xy[manager.IndexToNode(to_index)]))
        transit = routing.RegisterTransitCallback(cost)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    setup = time.perf_counter() - setup
    start = time.perf_counter()
    solution = routing.SolveWithParameters(guided_local_search(budget))
    seconds = time.perf_counter() - start
    answers, ours = gridmap_verdict(folder, xy)
    if solution is None:   # no first tour within the budget: a result, said as such
        bench_common.report("tour-scale-ortools", seconds, len(xy), answers, length="none", gridmap_length=round(ours),
                            gridmap_over_peer="no tour in the budget", budget_seconds=budget,
                            setup_seconds=round(setup, 3), ortools=ortools.__version__)
        return
    order = route(routing, manager, solution, 0)
    theirs = length(xy, order)
    bench_common.report("tour-scale-ortools", seconds, len(xy), answers, length=round(theirs),
                        gridmap_length=round(ours), gridmap_over_peer=round(ours / theirs, 4),
                        budget_seconds=budget, setup_seconds=round(setup, 3), ortools=ortools.__version__)


def main():
    parser = bench_common.bench_parser(__doc__)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds each solver may take (default 10)")
    arguments = parser.parse_args()

    def run(bench):
        xy = points(arguments.dir)
        (lkh if bench == "tour-scale-lkh" else ortools)(arguments.dir, xy, arguments.budget)

    bench_common.run_benches(__file__, arguments, BENCHES, run, forwarded=["--budget", str(arguments.budget)])


if __name__ == "__main__":
    main()
