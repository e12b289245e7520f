"""spawn: N tasks that each yield `--yields` times with asyncio.sleep(0), all awaited in
creation order. Reports tasks per second, timed around the workload only."""

import asyncio
import time

from common import parser, report, run


async def worker(yields):
    for _ in range(yields):
        await asyncio.sleep(0)


async def main(count, yields):
    started = time.perf_counter()
    tasks = [asyncio.create_task(worker(yields)) for _ in range(count)]
    for task in tasks:
        await task
    total = time.perf_counter() - started
    report(count / total, total_s=total)


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", type=int, default=100_000)
    arguments.add_argument("--yields", type=int, default=10)
    options = arguments.parse_args()
    run(main(options.tasks, options.yields), options.loop)
