"""`make bench`: measures speed and memory targets and prints a table for docs/benchmarks.md.

Benchmarks are added here as the capabilities they measure land (see docs/benchmarks.md).
"""

import platform
import sys
from datetime import date

BENCHMARKS: list = []


def main() -> int:
    print("| Date | Machine | What | Result |\n|---|---|---|---|")
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    if not BENCHMARKS:
        print(f"| {date.today()} | {machine} | (no benchmarks yet) | |")
    for bench in BENCHMARKS:
        print(f"| {date.today()} | {machine} | {bench.__doc__} | {bench()} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
