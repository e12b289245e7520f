"""Every form of task cancellation: before the first step, while waiting on a future, with a
message, a task that cancels itself, cancelling a done task, cancelling a task that awaits
another task, and cancelling twice (the first message wins: the waited future carries it)."""

import asyncio


def describe(exc):
    return f"{type(exc).__name__}({str(exc)!r})"


async def outcome(task):
    """How `await task` ends, without letting a CancelledError through."""
    try:
        result = await task
    except asyncio.CancelledError as exc:
        return f"raised {describe(exc)}"
    return f"returned {result!r}"


async def before_first_step():
    async def body():
        print("body runs (never printed)")

    task = asyncio.create_task(body())
    print("cancel() ->", task.cancel())
    print("cancelling() ->", task.cancelling())
    print("await ->", await outcome(task))
    print("cancelled() ->", task.cancelled())


async def while_waiting_on_a_future():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def body():
        try:
            await fut
        except asyncio.CancelledError as exc:
            print("body caught", describe(exc))
            raise
        finally:
            print("body finally")

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    print("cancel() ->", task.cancel())
    print("future cancelled right away ->", fut.cancelled())
    print("task done yet ->", task.done())
    print("await ->", await outcome(task))
    print("task cancelled() ->", task.cancelled())


async def with_a_message():
    async def body():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as exc:
            print("body caught", describe(exc))
            raise

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel("shutting down")
    print("await ->", await outcome(task))
    try:
        task.result()
    except asyncio.CancelledError as exc:
        print("result() raised", type(exc).__name__)
    try:
        task.exception()
    except asyncio.CancelledError as exc:
        print("exception() raised", type(exc).__name__)


async def cancel_before_first_step_with_message():
    async def body():
        print("never printed")

    task = asyncio.create_task(body())
    task.cancel("early")
    print("await ->", await outcome(task))


async def cancels_itself_and_returns():
    async def body():
        print("body cancels itself:", asyncio.current_task().cancel())
        print("cancelling() inside ->", asyncio.current_task().cancelling())
        return "a value nobody gets"

    task = asyncio.create_task(body())
    print("await ->", await outcome(task))
    print("cancelled() ->", task.cancelled())


async def cancels_itself_then_awaits():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def body():
        asyncio.current_task().cancel("self")
        try:
            await fut
        except asyncio.CancelledError as exc:
            print("body caught", describe(exc))
            raise

    task = asyncio.create_task(body())
    print("await ->", await outcome(task))
    print("the awaited future was cancelled ->", fut.cancelled())


async def cancel_a_done_task():
    async def body():
        return 42

    task = asyncio.create_task(body())
    print("await ->", await outcome(task))
    print("cancel() on a done task ->", task.cancel())
    print("cancelling() ->", task.cancelling())
    print("cancelled() ->", task.cancelled(), "result() ->", task.result())


async def future_completed_then_cancelled():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def body():
        try:
            value = await fut
            print("body got", value, "(never printed)")
        except asyncio.CancelledError as exc:
            print("body caught", describe(exc), "although the future has a result")
            raise

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    fut.set_result("value")
    print("cancel() after the future completed ->", task.cancel("late"))
    print("await ->", await outcome(task))


async def propagates_to_awaited_task():
    async def inner():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError as exc:
            print("inner caught", describe(exc))
            raise
        finally:
            print("inner finally")

    async def outer(child):
        try:
            await child
        except asyncio.CancelledError as exc:
            print("outer caught", describe(exc))
            raise
        finally:
            print("outer finally")

    child = asyncio.create_task(inner(), name="inner")
    parent = asyncio.create_task(outer(child), name="outer")
    await asyncio.sleep(0)
    print("cancel outer ->", parent.cancel("stop"))
    print("inner cancelling() ->", child.cancelling(),
          "outer cancelling() ->", parent.cancelling())
    print("await outer ->", await outcome(parent))
    print("inner cancelled() ->", child.cancelled(), "outer cancelled() ->", parent.cancelled())


async def cancel_twice_while_waiting():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def body():
        try:
            await fut
        except asyncio.CancelledError as exc:
            print("body caught", describe(exc))
            raise

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    print("first cancel ->", task.cancel("first"), "second cancel ->", task.cancel("second"))
    print("cancelling() ->", task.cancelling())
    print("await ->", await outcome(task))


async def main():
    for section in [before_first_step, while_waiting_on_a_future, with_a_message,
                    cancel_before_first_step_with_message, cancels_itself_and_returns,
                    cancels_itself_then_awaits, cancel_a_done_task,
                    future_completed_then_cancelled, propagates_to_awaited_task,
                    cancel_twice_while_waiting]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
