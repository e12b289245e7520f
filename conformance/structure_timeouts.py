"""timeout() and timeout_at(): expiry becomes TimeoutError (caused by the CancelledError), a
body finishing in time, None, reschedule(), expired(), nested timeouts (the inner one first,
the outer one first, both at once), an outside cancellation that stays CancelledError, an error
from the body, and a task that is not left cancelled after a TimeoutError."""

import asyncio


async def main():
    loop = asyncio.get_running_loop()
    current = asyncio.current_task()

    print("== expiry")
    try:
        async with asyncio.timeout(0.05) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("body got CancelledError")
                raise
    except TimeoutError as exc:
        print("TimeoutError; cause:", type(exc.__cause__).__name__)
    print("expired:", cm.expired(), "cancelling:", current.cancelling())

    print("== in time")
    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(0.01)
        result = "fast"
    print(result, "expired:", cm.expired())

    print("== none")
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print("when:", cm.when(), "expired:", cm.expired())

    print("== timeout_at and reschedule")
    deadline = loop.time() + 0.02
    try:
        async with asyncio.timeout_at(deadline) as cm:
            print("when is deadline:", cm.when() == deadline)
            cm.reschedule(None)
            await asyncio.sleep(0.05)
            print("survived past the first deadline")
            cm.reschedule(loop.time() + 0.02)
            await asyncio.sleep(1)
    except TimeoutError:
        print("TimeoutError after reschedule; expired:", cm.expired())
    try:
        cm.reschedule(None)
    except RuntimeError:
        print("reschedule after expiry: RuntimeError")

    print("== inner expires first")
    try:
        async with asyncio.timeout(0.1):
            try:
                async with asyncio.timeout(0.02):
                    await asyncio.sleep(1)
            except TimeoutError:
                print("inner TimeoutError")
            await asyncio.sleep(1)
    except TimeoutError:
        print("outer TimeoutError")

    print("== outer expires first")
    try:
        async with asyncio.timeout(0.02):
            try:
                async with asyncio.timeout(1):
                    await asyncio.sleep(2)
            except asyncio.CancelledError:
                print("inner block: CancelledError")
                raise
    except TimeoutError:
        print("outer TimeoutError")

    print("== both at the same deadline")
    when = loop.time() + 0.02
    try:
        async with asyncio.timeout_at(when) as outer:
            try:
                async with asyncio.timeout_at(when) as inner:
                    await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("inner block: CancelledError")
                raise
    except TimeoutError:
        print("outer TimeoutError; both expired:", outer.expired(), inner.expired())

    print("== outside cancel inside a timeout")

    async def body():
        async with asyncio.timeout(1) as cm:
            await asyncio.sleep(2)

    task = asyncio.create_task(body())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("CancelledError; task cancelled:", task.cancelled())

    print("== error in the body")
    try:
        async with asyncio.timeout(1) as cm:
            raise ValueError("own")
    except ValueError as exc:
        print("ValueError", exc, "expired:", cm.expired())

    print("== the task is not left cancelled")

    async def quick_timeout():
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(1)
        except TimeoutError:
            return "timed out"

    task = asyncio.create_task(quick_timeout())
    print(await task, "cancelled:", task.cancelled(), "cancelling:", task.cancelling())


asyncio.run(main())
