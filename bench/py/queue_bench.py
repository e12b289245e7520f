"""queue: one producer puts `--items` integers through asyncio.Queue(`--maxsize`), one consumer
gets them. Reports items per second."""

import asyncio
import time

from common import parser, report, run


async def produce(queue, items):
    for item in range(items):
        await queue.put(item)


async def consume(queue, items):
    for _ in range(items):
        await queue.get()


async def main(items, maxsize):
    queue = asyncio.Queue(maxsize)
    started = time.perf_counter()
    await asyncio.gather(produce(queue, items), consume(queue, items))
    total = time.perf_counter() - started
    report(items / total, total_s=total)


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--items", type=int, default=1_000_000)
    arguments.add_argument("--maxsize", type=int, default=100)
    options = arguments.parse_args()
    run(main(options.items, options.maxsize), options.loop)
