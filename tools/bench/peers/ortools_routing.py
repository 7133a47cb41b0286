"""What the OR-Tools peers share: the recommended search (cheapest arc, then guided local search
under a time limit) and reading a vehicle's route back from a solution."""

import time


def guided_local_search(time_limit):
    """Search parameters: PATH_CHEAPEST_ARC first solution, GUIDED_LOCAL_SEARCH for time_limit s."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    parameters.time_limit.FromMilliseconds(int(time_limit * 1000))
    return parameters


def route(routing, manager, solution, vehicle):
    """The nodes vehicle visits, its start and end included."""
    order, index = [], routing.Start(vehicle)
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index))
        index = solution.Value(routing.NextVar(index))
    order.append(manager.IndexToNode(index))
    return order


def solve_timed(routing, parameters, who):
    """The solution and the seconds the search took; exits naming `who` when there is none."""
    start = time.perf_counter()
    solution = routing.SolveWithParameters(parameters)
    seconds = time.perf_counter() - start
    if solution is None:
        raise SystemExit(f"{who} found no solution")
    return solution, seconds
