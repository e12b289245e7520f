"""memory: N tasks each pending in asyncio.sleep(1000). Reports the bytes per task that
tracemalloc sees allocated (task, coroutine and frame, timer handle, future, list slot);
memory that a C extension takes from malloc directly is not counted."""

import asyncio
import gc
import os
import tracemalloc

from common import parser, report, run


async def sleeper():
    await asyncio.sleep(1000)


async def main(count):
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(sleeper()) for _ in range(count)]
    await asyncio.sleep(0)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    pending = sum(1 for task in tasks if not task.done())
    report((after - before) / count, tasks=count, pending=pending)
    # Cancelling and reaping 100k tasks takes longer than the measurement: skip it.
    os._exit(0)


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--tasks", type=int, default=100_000)
    options = arguments.parse_args()
    run(main(options.tasks), options.loop)
