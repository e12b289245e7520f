"""cancelling() and uncancel(): a task that catches its CancelledError and carries on, the
count of pending cancellation requests, and withdrawing a request before it is delivered."""

import asyncio


async def outcome(task):
    try:
        result = await task
    except asyncio.CancelledError as exc:
        return f"raised CancelledError({str(exc)!r})"
    return f"returned {result!r}"


async def catch_and_continue():
    async def body():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("caught; cancelling() ->", me.cancelling())
            print("uncancel() ->", me.uncancel())
        print("carries on; cancelling() ->", me.cancelling())
        await asyncio.sleep(0.01)
        print("slept again after the cancellation")
        return "finished normally"

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel()
    print("await ->", await outcome(task))
    print("cancelled() ->", task.cancelled(), "cancelling() ->", task.cancelling())


async def catch_without_uncancel():
    async def body():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("caught and swallowed")
        await asyncio.sleep(0)
        print("cancelling() still ->", asyncio.current_task().cancelling())
        return "returned anyway"

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel()
    print("await ->", await outcome(task))
    print("cancelled() ->", task.cancelled())


async def counting_requests():
    async def body():
        await asyncio.sleep(1)

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    print("cancelling() before ->", task.cancelling())
    for _ in range(3):
        task.cancel()
    print("after three cancel() ->", task.cancelling())
    print("uncancel() ->", task.uncancel())
    print("uncancel() ->", task.uncancel())
    print("uncancel() ->", task.uncancel())
    print("uncancel() at zero ->", task.uncancel())
    print("await ->", await outcome(task))
    print("cancelled() ->", task.cancelled())


async def withdrawn_before_first_step():
    async def body():
        print("body runs: the request was withdrawn")
        return "ran"

    task = asyncio.create_task(body())
    task.cancel()
    print("cancel() then uncancel() ->", task.uncancel())
    print("await ->", await outcome(task))


async def withdrawn_after_the_future_was_cancelled():
    async def body():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("body still gets CancelledError: the sleep was already cancelled")
            raise

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    task.cancel()
    print("uncancel() ->", task.uncancel())
    print("await ->", await outcome(task))


async def withdrawn_after_the_future_completed():
    fut = asyncio.get_running_loop().create_future()

    async def body():
        print("body got", await fut, "as if never cancelled")

    task = asyncio.create_task(body())
    await asyncio.sleep(0)
    fut.set_result("the value")
    print("cancel() ->", task.cancel(), "uncancel() ->", task.uncancel())
    print("await ->", await outcome(task))


async def deadline_pattern():
    """What asyncio.timeout does by hand: cancel ourselves later, tell our cancellation apart."""
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    handle = loop.call_later(0.01, me.cancel)
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        if me.uncancel() == 0:
            print("our own deadline fired; cancelling() ->", me.cancelling())
        else:
            raise
    finally:
        handle.cancel()
    print("main carries on")


async def main():
    for section in [catch_and_continue, catch_without_uncancel, counting_requests,
                    withdrawn_before_first_step, withdrawn_after_the_future_was_cancelled,
                    withdrawn_after_the_future_completed, deadline_pattern]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
