"""Shared helpers of the Python anchors.

Each anchor program parses its sizes with `parser()`, runs its main coroutine with `run()` on
the loop named by --loop (asyncio's own, or uvloop's), and prints its measurement with
`report()`: one JSON line, last on stdout, which bench/run.ts reads.
"""

import argparse
import asyncio
import json
import sys


def parser(description):
    """An argument parser with --loop asyncio|uvloop; the program adds its own sizes."""
    result = argparse.ArgumentParser(description=description)
    result.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    return result


def run(main, loop_name):
    """Runs `main` (a coroutine) with asyncio.run on the chosen loop; returns its result."""
    if loop_name == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return asyncio.run(main)


def percentile(sorted_values, fraction):
    """The value at `fraction` (0..1) of an ascending list, nearest rank."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def report(value, **detail):
    """Prints the measurement: the headline figure and its details."""
    sys.stdout.write(json.dumps({"value": value, "detail": detail}) + "\n")
    sys.stdout.flush()
