"""Times one command and prints a benchmark JSON line with the child's peak memory.

Usage: time_command.py BENCH ITEMS -- COMMAND [ARG...]
"""
import json
import resource
import subprocess
import sys
import time


def main():
    bench, items, separator, *command = sys.argv[1:]
    assert separator == "--", __doc__
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"bench": bench, "seconds": seconds, "items": int(items), "peak_rss_mb": round(peak, 1)}), flush=True)


if __name__ == "__main__":
    main()
