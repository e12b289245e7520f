"""timers: N tasks each sleep a random 0..--max-ms milliseconds. Reports the wall time from
the first create_task to the last wake-up, and the overshoot (wake-up time minus the time the
sleep was due, per task) percentiles in milliseconds."""

import asyncio
import random
import time

from common import parser, percentile, report, run


async def sleeper(delay, overshoots):
    started = time.perf_counter()
    await asyncio.sleep(delay)
    overshoots.append(time.perf_counter() - started - delay)


async def main(count, max_ms):
    rng = random.Random(1)
    delays = [rng.random() * max_ms / 1000 for _ in range(count)]
    overshoots = []
    started = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(delay, overshoots)) for delay in delays]
    for task in tasks:
        await task
    wall = time.perf_counter() - started
    overshoots.sort()
    report(
        wall,
        over_p50_ms=percentile(overshoots, 0.5) * 1000,
        over_p99_ms=percentile(overshoots, 0.99) * 1000,
        over_max_ms=overshoots[-1] * 1000,
    )


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", type=int, default=100_000)
    arguments.add_argument("--max-ms", type=float, default=50)
    options = arguments.parse_args()
    run(main(options.tasks, options.max_ms), options.loop)
