"""Executors: run_in_executor results on a thread pool, gather over many items, an error
raised by the work, to_thread on the default executor, shutdown(cancel_futures=True) that
drops the queued item while the running one finishes, and no new work after shutdown."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def fail(message):
    raise ValueError(message)


def block(started, gate):
    started.set()
    gate.wait(10)
    return "released"


async def main():
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=1)

    print("== run_in_executor")
    print("fib(20) =", await loop.run_in_executor(pool, fib, 20))
    results = await asyncio.gather(*(loop.run_in_executor(pool, fib, n) for n in range(8)))
    print("gathered", results)

    print("== an error in the work")
    try:
        await loop.run_in_executor(pool, fail, "bad input")
    except ValueError as error:
        print("caught", type(error).__name__, error)

    print("== to_thread")
    print("fib(15) =", await asyncio.to_thread(fib, 15))

    print("== shutdown with cancel_futures")
    started, gate = threading.Event(), threading.Event()
    running = loop.run_in_executor(pool, block, started, gate)
    queued = loop.run_in_executor(pool, fib, 10)
    while not started.is_set():
        await asyncio.sleep(0.01)
    pool.shutdown(wait=False, cancel_futures=True)
    gate.set()
    print("running:", await running)
    print("queued cancelled:", queued.cancelled())
    try:
        loop.run_in_executor(pool, fib, 1)
    except RuntimeError as error:
        print("after shutdown:", type(error).__name__)


asyncio.run(main())
