"""What every peer shares: the result line, the run's folder of shared files, and the verdict on
whether a peer's answers agree with GridMap's.

Each result is one JSON line: {"bench", "seconds", "items", "peak_rss_mb", "answers", ...}.
"answers" says how the line's answers compare with GridMap's, checked in the same run:
  reference          GridMap's answers, which the peers' lines are checked against
  same (...)         every answer equal to GridMap's (within the tolerance it names)
  same except N ...  differences with a named benign cause only, counted (an equidistant well)
  DIFFERENT: ...     at least one real difference: the ratio compares different answers
  not compared: ...  a context line with nothing to compare, saying why
A "work" field, where present, says plainly what the line's side does when it is not the same
work as the other side.

GridMap writes into the run's folder (tools/bench/run passes it as --dir; a fresh one per run)
the inputs the peers read and its answers: text CSVs, and raw little-endian arrays (.i32, .f64)
for the answers per point.
"""
import argparse
import json
import pathlib
import resource
import subprocess
import sys

import numpy

# Metres: two distances (or a road path's costs) this close are the same answer.
TOLERANCE_METRES = 0.001


def folder_argument(parser=None, description=None):
    """An argument parser with --dir (the run's folder, required) added."""
    parser = parser or argparse.ArgumentParser(description=description,
                                               formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, type=pathlib.Path,
                        help="the run's folder, where gridmap-bench wrote the inputs and its answers")
    return parser


def bench_parser(description):
    """The argument parser of a peer that runs several benches: --dir and the benches' names."""
    parser = folder_argument(description=description)
    parser.add_argument("bench", nargs="*", help="the benches to run (default: all, each in its own process)")
    return parser


def run_benches(script, arguments, benches, run_one, forwarded=()):
    """Runs the one bench named with `run_one(bench)`; or each bench named (default: all of
    `benches`) by `script` in a process of its own, so that no bench's peak memory or warm caches
    count for another, given --dir and `forwarded` (the peer's own options, as command-line words)."""
    if len(arguments.bench) == 1:
        bench = arguments.bench[0]
        if bench not in benches:
            raise SystemExit(f"{pathlib.Path(script).stem}: unknown bench {bench} ({' | '.join(benches)})")
        run_one(bench)
        return
    for bench in arguments.bench or benches:
        subprocess.run([sys.executable, script, "--dir", str(arguments.dir), *forwarded, bench], check=True)


def report(bench, seconds, items, answers, peak_rss_mb=None, **extra):
    """Prints the result line; the peak is this process's unless given (a server's)."""
    if peak_rss_mb is None:
        peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux
    print(json.dumps({"bench": bench, "seconds": seconds, "items": items, "peak_rss_mb": peak_rss_mb,
                      "answers": answers, **{key: str(value) for key, value in extra.items()}},
                     ensure_ascii=False), flush=True)


def verdict(total, what, real=0, benign=None, tolerance=None):
    """The "answers" text: `real` answers of `total` differ from GridMap's for no benign reason,
    `benign` maps a named cause to the number of answers that differ for it."""
    benign = {cause: count for cause, count in (benign or {}).items() if count}
    causes = ", ".join(f"{count} {cause}" for cause, count in benign.items())
    if real:
        return f"DIFFERENT: {real} of {total} {what}" + (f" (and {causes})" if causes else "")
    if benign:
        return f"same except {sum(benign.values())} of {total} {what}: {causes}"
    return f"same (all {total} {what}" + (f", within {tolerance}" if tolerance else "") + ")"


def raw(folder, name, dtype):
    """A raw little-endian array GridMap wrote: dtype "<i4" or "<f8"."""
    return numpy.fromfile(folder / name, dtype=dtype)


def rows(path, header=True):
    """The comma-separated fields of a plain CSV (no quoting), without its header line."""
    with open(path) as file:
        lines = [line.strip() for line in file if line.strip()]
    return [line.split(",") for line in (lines[1:] if header else lines)]


def integer_matrix(path):
    """A square matrix of integers, one row per line, as a list of lists."""
    matrix = [[int(value) for value in row] for row in rows(path, header=False)]
    if any(len(row) != len(matrix) for row in matrix):
        raise SystemExit(f"{path} is not square")
    return matrix


def walk_length(matrix, order):
    """The cost of visiting `order` in turn on the matrix (the same sum for every solver)."""
    return sum(matrix[a][b] for a, b in zip(order, order[1:]))


def gridmap_result(path, bench):
    """GridMap's result line `bench` from the JSON lines in `path`."""
    for line in open(path):
        if line.strip().startswith("{") and json.loads(line)["bench"] == bench:
            return json.loads(line)
    raise SystemExit(f"{path} has no line for {bench}")


def on_any_edge(polygons, lon, lat):
    """Per point, whether it lies on the boundary of one of the polygons (exact GEOS intersects)."""
    import shapely
    if len(lon) == 0:
        return numpy.zeros(0, dtype=bool)
    tree = shapely.STRtree(shapely.boundary(polygons))
    hits, _ = tree.query(shapely.points(lon, lat), predicate="intersects")
    touching = numpy.zeros(len(lon), dtype=bool)
    touching[hits] = True
    return touching


def compare_located(ours, theirs, polygons, lon, lat, what="points"):
    """The verdict on a peer's micro-grid per point (an index, -1 outside) against GridMap's,
    the differences counted by cause: a point on a micro-grid's edge, where a peer with another
    edge rule may answer otherwise, or a real difference. Prints the first few to stderr."""
    differ = numpy.flatnonzero(numpy.asarray(ours) != numpy.asarray(theirs))
    edge = on_any_edge(polygons, lon[differ], lat[differ])
    for i in differ[:5]:
        print(f"  point {i} ({float(lon[i])!r}, {float(lat[i])!r}): GridMap {ours[i]}, peer {theirs[i]}", file=sys.stderr)
    return verdict(len(ours), what, real=int((~edge).sum()),
                   benign={"on a micro-grid edge (another edge rule)": int(edge.sum())})


def smallest_per_point(count, point_index, polygon_index):
    """Per point, the smallest polygon index among the (point, polygon) pairs of a spatial join,
    -1 for a point in none: GridMap's rule when polygons are in code order."""
    found = numpy.full(count, numpy.iinfo(numpy.int32).max, dtype=numpy.int64)
    numpy.minimum.at(found, point_index, polygon_index)
    found[found == numpy.iinfo(numpy.int32).max] = -1
    return found


def compare_nearest(ours_rows, ours_metres, theirs_rows, theirs_metres, what="points"):
    """The verdict on a peer's nearest well per point (its row in wells.csv, -1 for none, and
    the distance in metres) against GridMap's: the same well at the same distance within
    TOLERANCE_METRES; another well at the same distance is a tie (benign); anything else is a
    real difference. Prints the first few to stderr."""
    ours_rows, theirs_rows = numpy.asarray(ours_rows), numpy.asarray(theirs_rows)
    ours_metres, theirs_metres = numpy.asarray(ours_metres, dtype=float), numpy.asarray(theirs_metres, dtype=float)
    both_found = (ours_rows >= 0) & (theirs_rows >= 0)
    close = both_found & (numpy.abs(ours_metres - theirs_metres) <= TOLERANCE_METRES)
    same = (ours_rows == theirs_rows) & (close | ~both_found)
    tie = ~same & close
    real = ~same & ~tie
    for i in numpy.flatnonzero(real)[:5]:
        print(f"  point {i}: GridMap well {ours_rows[i]} at {float(ours_metres[i])!r} m, "
              f"peer well {theirs_rows[i]} at {float(theirs_metres[i])!r} m", file=sys.stderr)
    return verdict(len(ours_rows), what, real=int(real.sum()),
                   benign={"equidistant wells (a tie within 1 mm)": int(tie.sum())}, tolerance="1 mm")
