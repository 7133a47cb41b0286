"""Prints the benchmark table: GridMap against each peer, as throughput and speed ratio, with
whether their answers agreed.

Reads the JSON lines written by gridmap-bench and the peer scripts. Each GridMap measurement is
compared with the peers doing the same job (PAIRS below); a ratio above 1 means GridMap is faster.
Every line carries "answers", the check of its answers against GridMap's made in the same run
(tools/bench/peers/bench_common.py lists the words); it is printed beside every line and every
ratio, and the lines whose answers differ are listed at the end. A "work" field, where present,
says what that side does when it is not the same work as the other side; those are printed too.
The tour benches also carry a "length" (the closed tour's total on the shared integer matrix): for
those the gap to LKH-3's length is printed too (positive = longer than LKH). The tour-scale peers
carry "gridmap_over_peer", GridMap's length over theirs on the same points (below 1 = shorter),
printed per size. The split benches
carry "longest" and "total" (metres): each is printed with its ratio to OR-Tools' (below 1 =
shorter than OR-Tools). The server benches carry requests per second and p50/p99 latencies, printed
in a table of their own.
"""
import json
import sys

# GridMap bench name -> peer bench names doing the same work on the same data.
PAIRS = {
    "transform-1core": ["transform-pyproj"],
    "transform-parallel": ["transform-pyproj"],
    "geojson-write": ["geojson-write-geopandas"],
    "geojson-make-and-write": ["geojson-write-geopandas"],
    "geojson-read": ["geojson-read-geopandas"],
    "town-import": ["town-import-geopandas"],
    "town-export": ["town-export-geopandas"],
    "locate": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-intersects-xy", "locate-postgis"],
    "locate-1core": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-intersects-xy"],
    "locate-csv": ["locate-csv-geopandas"],
    # A district's register: GridMap streams the 1M sample through `locate --csv`'s job (parse,
    # locate, write the annotated rows); PostGIS joins the loaded points (COPY and GiST index
    # before its clock starts).
    "district-locate-sample": ["district-locate-postgis"],
    "nearest": ["nearest-geopandas-sjoin-nearest", "nearest-shapely-query-nearest", "nearest-postgis-knn"],
    "tour": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
    "tour-full-budget": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
    "roads-paths": ["roads-paths-pgr_dijkstra", "roads-paths-networkx"],
    # The graph built before the clock starts (pgRouting's search alone is an estimate), and built
    # inside the timed run on both sides.
    "roads-matrix": ["roads-matrix-pgr_dijkstra-search", "roads-matrix-networkx"],
    "roads-matrix-1core": ["roads-matrix-pgr_dijkstra-search", "roads-matrix-networkx"],
    "roads-matrix-with-build": ["roads-matrix-pgr_dijkstra", "roads-matrix-networkx-with-build"],
    "roads-nearest": ["roads-nearest-networkx"],
    "roads-nearest-search": ["roads-nearest-networkx"],
    "events-rates": ["events-rates-sqlite"],
    "server-bbox-items": ["server-bbox-items-pygeoapi"],
    # Not the same work (the peers neither map, validate nor build a town): the "work" fields say so.
    "import-osm": ["import-osm-ogr2ogr", "import-osm-geopandas"],
}
# The reference tour length for the tour benches' length gap.
TOUR_REFERENCE = "tour-lkh"
# The reference split for the longest-tour and total ratios.
SPLIT_REFERENCE = "split-ortools"


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
    by_name = {row["bench"]: row for row in rows}
    print()
    # CPU seconds where the line gives them (the process's, every thread's): steadier than the
    # wall-clock on a shared machine, and above it when the work spreads over cores.
    print(f"{'benchmark':<34}{'items':>10}{'seconds':>10}{'cpu s':>8}{'items/s':>14}{'peak MiB':>10}  answers")
    for row in rows:
        rate = row["items"] / row["seconds"] if row["seconds"] > 0 else float("inf")
        cpu = f"{row['cpu_seconds']:.2f}" if "cpu_seconds" in row else "-"
        print(f"{row['bench']:<34}{row['items']:>10}{row['seconds']:>10.3f}{cpu:>8}{rate:>14,.0f}{row['peak_rss_mb']:>10}"
              f"  {answers(row)}")
    print()
    print(f"{'GridMap':<26}{'peer':<34}{'ratio (peer s / GridMap s)':>28}  peer's answers")
    for ours, peers in PAIRS.items():
        if ours not in by_name:
            continue
        for peer in peers:
            if peer not in by_name:
                continue
            ratio = by_name[peer]["seconds"] / by_name[ours]["seconds"]
            print(f"{ours:<26}{peer:<34}{ratio:>27.2f}x  {answers(by_name[peer])}")
    tours = [row for row in rows if row["bench"].startswith("tour") and not row["bench"].startswith("tour-scale")
             and "length" in row]
    reference = by_name.get(TOUR_REFERENCE)
    if tours and reference is not None:
        best = float(reference["length"])
        print()
        print(f"{'tour':<24}{'length':>14}{'seconds':>10}{'gap vs ' + TOUR_REFERENCE:>18}  answers")
        for row in tours:
            length = float(row["length"])
            print(f"{row['bench']:<24}{length:>14,.0f}{row['seconds']:>10.3f}{(length / best - 1) * 100:>17.2f}%"
                  f"  {answers(row)}")
    scale = [row for row in rows if "gridmap_over_peer" in row]
    if scale:
        print()
        print(f"{'tour at scale':<22}{'points':>8}{'budget s':>10}{'peer s':>9}{'peer length':>14}{'GridMap length':>16}"
              f"{'GridMap / peer':>16}")
        for row in scale:
            length = f"{float(row['length']):>14,.0f}" if row["length"] != "none" else f"{'none':>14}"
            print(f"{row['bench']:<22}{row['items']:>8}{row['budget_seconds']:>10}{row['seconds']:>9.2f}"
                  f"{length}{float(row['gridmap_length']):>16,.0f}  {row['gridmap_over_peer']}")
    splits = [row for row in rows if "longest" in row]
    reference = by_name.get(SPLIT_REFERENCE)
    if splits and reference is not None:
        print()
        print(f"{'split':<20}{'workers':>8}{'longest m':>12}{'total m':>12}{'seconds':>10}"
              f"{'longest / ' + SPLIT_REFERENCE:>26}{'total / ' + SPLIT_REFERENCE:>24}  answers")
        for row in splits:
            longest, total = float(row["longest"]), float(row["total"])
            print(f"{row['bench']:<20}{row['workers']:>8}{longest:>12,.0f}{total:>12,.0f}{row['seconds']:>10.3f}"
                  f"{longest / float(reference['longest']):>26.3f}{total / float(reference['total']):>24.3f}"
                  f"  {answers(row)}")
    served = [row for row in rows if "p99_ms" in row]
    if served:
        print()
        print(f"{'server':<34}{'requests/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}{'peak MiB':>10}  answers")
        for row in served:
            print(f"{row['bench']:<34}{int(row['requests_per_s']):>12,}{float(row['p50_ms']):>10.2f}{float(row['p99_ms']):>10.2f}"
                  f"{int(row['non_2xx']):>9}{str(row['peak_rss_mb']):>10}  {answers(row)}")
    work = [row for row in rows if "work" in row]
    if work:
        print()
        print("what each side does, where the work differs:")
        for row in work:
            print(f"  {row['bench']:<34}{row['work']}")
    print()
    different = [row["bench"] for row in rows if answers(row).startswith(("DIFFERENT", "NOT CHECKED"))]
    edge = [row["bench"] for row in rows if answers(row).startswith("same except")]
    if different:
        print("answers DIFFER from GridMap's (or were not checked) on:", ", ".join(different))
    else:
        print("answers: every compared line agrees with GridMap's"
              + (f" (benign differences, counted by cause, on: {', '.join(edge)})" if edge else ""))


def answers(row):
    """The line's answers check; a line without one is reported as not checked."""
    return row.get("answers", "NOT CHECKED")


if __name__ == "__main__":
    main(sys.argv[1])
