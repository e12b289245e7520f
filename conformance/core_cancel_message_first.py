"""Cancelled twice while waiting on a future, a task gets the CancelledError of the first
cancel(): the future was cancelled with that message, and waking from it raises it."""

import asyncio


async def main():
    fut = asyncio.get_running_loop().create_future()

    async def body():
        try:
            await fut
        except asyncio.CancelledError as exc:
            print(f"body caught {str(exc)!r}")
            raise

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel("first")
    task.cancel("second")
    try:
        await task
    except asyncio.CancelledError as exc:
        print(f"await task raised {str(exc)!r}")


asyncio.run(main())
