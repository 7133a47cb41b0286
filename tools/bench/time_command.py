"""Times one command and prints a benchmark JSON line with the child's peak memory.

Usage: time_command.py BENCH ITEMS [FIELD=TEXT ...] -- COMMAND [ARG...]

The FIELD=TEXT pairs are added to the line as they are: "answers" (required, as on every line;
see tools/bench/peers/bench_common.py) and, for instance, "work" (what the command does).
"""
import json
import resource
import subprocess
import sys
import time


def main():
    separator = sys.argv.index("--") if "--" in sys.argv else None
    assert separator is not None and separator >= 3, __doc__
    bench, items, *pairs = sys.argv[1:separator]
    command = sys.argv[separator + 1:]
    fields = dict(pair.split("=", 1) for pair in pairs)
    assert "answers" in fields, __doc__
    start = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"bench": bench, "seconds": seconds, "items": int(items), "peak_rss_mb": round(peak, 1), **fields},
                     ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
