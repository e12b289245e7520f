"""cancel: N tasks pending in asyncio.sleep(1000) are cancelled, then each is awaited (its
CancelledError caught). Reports tasks cancelled per second, from the first cancel() to the
last task done."""

import asyncio
import time

from common import parser, report, run


async def sleeper():
    await asyncio.sleep(1000)


async def main(count):
    tasks = [asyncio.create_task(sleeper()) for _ in range(count)]
    await asyncio.sleep(0)
    started = time.perf_counter()
    for task in tasks:
        task.cancel()
    cancelled = 0
    for task in tasks:
        try:
            await task
        except asyncio.CancelledError:
            cancelled += 1
    total = time.perf_counter() - started
    report(count / total, total_s=total, cancelled=cancelled)


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", type=int, default=100_000)
    options = arguments.parse_args()
    run(main(options.tasks), options.loop)
