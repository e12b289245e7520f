"""cpu: items x fib(n) through asyncio's run_in_executor on a ProcessPoolExecutor, as speedup
over running them one after another in the same process. The pool is started and warmed
(each worker ran fib(n) once) before the timing; start-up is reported apart."""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor

from common import parser, report, run


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


async def main(items, n, workers):
    loop = asyncio.get_running_loop()
    fib(n)
    started = time.perf_counter()
    for _ in range(items):
        fib(n)
    sequential = time.perf_counter() - started

    began = time.perf_counter()
    pool = ProcessPoolExecutor(workers)
    await asyncio.gather(*(loop.run_in_executor(pool, fib, n) for _ in range(workers)))
    startup = time.perf_counter() - began
    started = time.perf_counter()
    await asyncio.gather(*(loop.run_in_executor(pool, fib, n) for _ in range(items)))
    seconds = time.perf_counter() - started
    pool.shutdown()
    return sequential, seconds, startup


if __name__ == "__main__":
    options = parser(__doc__)
    options.add_argument("--items", type=int, default=200)
    options.add_argument("--n", type=int, default=27)
    options.add_argument("--workers", type=int, default=2)
    arguments = options.parse_args()
    sequential, seconds, startup = run(
        main(arguments.items, arguments.n, arguments.workers), arguments.loop
    )
    report(sequential / seconds, seq_s=sequential, pool_s=seconds, startup_s=startup)
