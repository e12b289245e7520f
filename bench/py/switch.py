"""switch: one task yields `--count` times in a row with asyncio.sleep(0). Reports switches
per second."""

import asyncio
import time

from common import parser, report, run


async def main(count):
    started = time.perf_counter()
    for _ in range(count):
        await asyncio.sleep(0)
    total = time.perf_counter() - started
    report(count / total, total_s=total)


if __name__ == "__main__":
    arguments = parser(__doc__)
    arguments.add_argument("--count", type=int, default=1_000_000)
    options = arguments.parse_args()
    run(main(options.count), options.loop)
