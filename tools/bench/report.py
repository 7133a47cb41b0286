"""Prints the benchmark table: GridMap against each peer, as throughput and speed ratio.

Reads the JSON lines written by gridmap-bench and the peer scripts. Each GridMap measurement is
compared with the peers doing the same job (PAIRS below); a ratio above 1 means GridMap is faster.
The tour benches also carry a "length" (the closed tour's total on the shared integer matrix): for
those the gap to LKH-3's length is printed too (positive = longer than LKH). The split benches
carry "longest" and "total" (metres): each is printed with its ratio to OR-Tools' (below 1 =
shorter than OR-Tools). The road peers carry "disagreements" (answers more than 1 mm off
GridMap's), printed when there are any.
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
    "locate": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-contains-xy", "locate-postgis"],
    "locate-1core": ["locate-geopandas-sjoin", "locate-shapely-strtree", "locate-shapely-contains-xy"],
    "locate-csv": ["locate-csv-geopandas"],
    "nearest": ["nearest-geopandas-sjoin-nearest", "nearest-shapely-query-nearest", "nearest-postgis-knn"],
    "tour": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
    "tour-full-budget": ["tour-lkh", "tour-ortools", "tour-ortools-5s"],
    "roads-paths": ["roads-paths-pgr_dijkstra", "roads-paths-networkx"],
    "roads-matrix": ["roads-matrix-pgr_dijkstra", "roads-matrix-networkx"],
    "roads-matrix-1core": ["roads-matrix-pgr_dijkstra", "roads-matrix-networkx"],
}
# The reference tour length for the tour benches' length gap.
TOUR_REFERENCE = "tour-lkh"
# The reference split for the longest-tour and total ratios.
SPLIT_REFERENCE = "split-ortools"


def main(path):
    rows = [json.loads(line) for line in open(path) if line.strip().startswith("{")]
    by_name = {row["bench"]: row for row in rows}
    print()
    print(f"{'benchmark':<28}{'items':>10}{'seconds':>10}{'items/s':>14}{'peak MiB':>10}")
    for row in rows:
        rate = row["items"] / row["seconds"] if row["seconds"] > 0 else float("inf")
        print(f"{row['bench']:<28}{row['items']:>10}{row['seconds']:>10.3f}{rate:>14,.0f}{row['peak_rss_mb']:>10}")
    print()
    print(f"{'GridMap':<24}{'peer':<26}{'ratio (peer s / GridMap s)':>28}")
    for ours, peers in PAIRS.items():
        if ours not in by_name:
            continue
        for peer in peers:
            if peer not in by_name:
                continue
            ratio = by_name[peer]["seconds"] / by_name[ours]["seconds"]
            print(f"{ours:<24}{peer:<26}{ratio:>27.2f}x")
    tours = [row for row in rows if row["bench"].startswith("tour") and "length" in row]
    reference = by_name.get(TOUR_REFERENCE)
    if tours and reference is not None:
        best = float(reference["length"])
        print()
        print(f"{'tour':<24}{'length':>14}{'seconds':>10}{'gap vs ' + TOUR_REFERENCE:>18}")
        for row in tours:
            length = float(row["length"])
            print(f"{row['bench']:<24}{length:>14,.0f}{row['seconds']:>10.3f}{(length / best - 1) * 100:>17.2f}%")
    splits = [row for row in rows if "longest" in row]
    reference = by_name.get(SPLIT_REFERENCE)
    if splits and reference is not None:
        print()
        print(f"{'split':<20}{'workers':>8}{'longest m':>12}{'total m':>12}{'seconds':>10}"
              f"{'longest / ' + SPLIT_REFERENCE:>26}{'total / ' + SPLIT_REFERENCE:>24}")
        for row in splits:
            longest, total = float(row["longest"]), float(row["total"])
            print(f"{row['bench']:<20}{row['workers']:>8}{longest:>12,.0f}{total:>12,.0f}{row['seconds']:>10.3f}"
                  f"{longest / float(reference['longest']):>26.3f}{total / float(reference['total']):>24.3f}")
    wrong = [row for row in rows if row.get("disagreements", "0") != "0"]
    if any("disagreements" in row for row in rows):
        print()
        print("answers disagreeing with GridMap's by more than 1 mm:",
              ", ".join(f"{row['bench']} {row['disagreements']}" for row in wrong) if wrong else "none")
    if "geojson-shapely-to_geojson" in by_name:
        print()
        print("geojson-shapely-to_geojson writes geometries only (no properties, no file): context, not a pair.")


if __name__ == "__main__":
    main(sys.argv[1])
