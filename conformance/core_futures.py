"""Futures: done callbacks run through the loop (never inline) in the order they were added,
with tasks that await the future in the same queue; results, exceptions and cancellation;
misuse raises InvalidStateError."""

import asyncio


def outcome(call):
    """What calling `call()` does: its value, or the class of what it raised."""
    try:
        return f"returned {call()!r}"
    except BaseException as exc:
        return f"raised {type(exc).__name__}"


async def callbacks_in_order():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    for name in ["first", "second", "third"]:
        fut.add_done_callback(lambda f, name=name: print(f"{name} callback: result", f.result()))
    fut.set_result("value")
    print("set_result returned; no callback has run yet")
    await asyncio.sleep(0)
    print("one iteration later")


async def tasks_and_callbacks_share_the_queue():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter(name):
        print(f"{name} resumed with", await fut)

    fut.add_done_callback(lambda f: print("callback added before the waiters"))
    tasks = [asyncio.create_task(waiter(f"task {i}")) for i in range(2)]
    await asyncio.sleep(0)
    fut.add_done_callback(lambda f: print("callback added after the waiters"))
    loop.call_soon(print, "call_soon scheduled before set_result")
    fut.set_result(7)
    for task in tasks:
        await task


async def remove_done_callback():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def twice(f):
        print("never printed: removed")

    def kept(f):
        print("kept callback runs")

    fut.add_done_callback(twice)
    fut.add_done_callback(kept)
    fut.add_done_callback(twice)
    print("removed", fut.remove_done_callback(twice))
    print("removed again", fut.remove_done_callback(twice))
    fut.set_result(None)
    print("removing after set_result", fut.remove_done_callback(kept))
    await asyncio.sleep(0)


async def callback_on_a_done_future():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_result("early")
    fut.add_done_callback(lambda f: print("late callback runs on the next iteration"))
    print("add_done_callback returned")
    await asyncio.sleep(0)


async def states():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print("pending: done", fut.done(), "cancelled", fut.cancelled())
    print("pending result():", outcome(fut.result))
    print("pending exception():", outcome(fut.exception))
    fut.set_result(1)
    print("finished: done", fut.done(), "result():", outcome(fut.result),
          "exception():", outcome(fut.exception))
    print("set_result again:", outcome(lambda: fut.set_result(2)))
    print("set_exception after done:", outcome(lambda: fut.set_exception(ValueError("x"))))
    print("cancel() after done:", fut.cancel())

    failed = loop.create_future()
    failed.set_exception(ValueError("broken"))
    print("failed: result():", outcome(failed.result),
          "exception():", type(failed.exception()).__name__, failed.exception())

    cancelled = loop.create_future()
    print("cancel():", cancelled.cancel("no longer needed"), "again:", cancelled.cancel())
    print("cancelled: done", cancelled.done(), "cancelled", cancelled.cancelled())
    print("cancelled result():", outcome(cancelled.result),
          "exception():", outcome(cancelled.exception))
    print("set_result on cancelled:", outcome(lambda: cancelled.set_result(3)))
    print("get_loop() is the running loop:", fut.get_loop() is loop)


async def awaiting_futures():
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.call_later(0.01, ready.set_result, "later")
    print("await ->", await ready)
    failed = loop.create_future()
    loop.call_soon(failed.set_exception, ValueError("bad"))
    try:
        await failed
    except ValueError as exc:
        print("await raised ValueError", exc)
    cancelled = loop.create_future()
    loop.call_soon(cancelled.cancel, "gone")
    try:
        await cancelled
    except asyncio.CancelledError as exc:
        print("await raised CancelledError", repr(str(exc)))
    print("the awaiting task is not cancelled:", asyncio.current_task().cancelling() == 0)


async def callback_errors():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def handler(loop, context):
        print("exception handler:", " ".join(context["message"].split(" ")[:3]), "...",
              type(context["exception"]).__name__)

    def broken(f):
        raise ValueError("callback broke")

    loop.set_exception_handler(handler)
    fut.add_done_callback(broken)
    fut.add_done_callback(lambda f: print("the next callback still runs"))
    fut.set_result(None)
    await asyncio.sleep(0)
    loop.set_exception_handler(None)


async def main():
    for section in [callbacks_in_order, tasks_and_callbacks_share_the_queue,
                    remove_done_callback, callback_on_a_done_future, states, awaiting_futures,
                    callback_errors]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
