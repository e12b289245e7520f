"""The Task API around the coroutine: names, all_tasks, results and exceptions, done
callbacks of a task, a task awaiting itself, ensure_future, and sleep's result."""

import asyncio


async def names_and_all_tasks():
    """The first section: the main task is the first task of the process."""
    async def idle():
        await asyncio.sleep(1)

    me = asyncio.current_task()
    a = asyncio.create_task(idle(), name="idle-a")
    b = asyncio.create_task(idle())
    print("default names:", me.get_name(), b.get_name())
    me.set_name("main")
    b.set_name(42)
    print("names:", me.get_name(), a.get_name(), repr(b.get_name()))
    print("all_tasks:", sorted(task.get_name() for task in asyncio.all_tasks()))
    a.cancel()
    b.cancel()
    await asyncio.sleep(0)
    print("after cancelling both:", sorted(task.get_name() for task in asyncio.all_tasks()))
    print("get_coro() is the coroutine:", asyncio.iscoroutine(a.get_coro()))


async def results_and_exceptions():
    async def value():
        await asyncio.sleep(0)
        return 42

    async def failure():
        await asyncio.sleep(0)
        raise ValueError("task failed")

    ok = asyncio.create_task(value())
    bad = asyncio.create_task(failure())
    try:
        ok.result()
    except asyncio.InvalidStateError:
        print("result() while pending: InvalidStateError")
    print("await ok ->", await ok)
    try:
        await bad
    except ValueError as exc:
        print("await bad raised ValueError", exc)
    print("bad.exception():", type(bad.exception()).__name__, "done:", bad.done(),
          "cancelled:", bad.cancelled())
    for method in ["set_result", "set_exception"]:
        try:
            getattr(ok, method)(None)
        except RuntimeError:
            print(f"task.{method}(): RuntimeError")


async def done_callbacks_of_a_task():
    async def work():
        print("work runs")
        await asyncio.sleep(0)
        print("work returns")
        return "done"

    async def waiter(task):
        print("waiter got", await task)

    task = asyncio.create_task(work())
    task.add_done_callback(lambda t: print("first done callback:", t.result()))
    other = asyncio.create_task(waiter(task))
    await asyncio.sleep(0)
    task.add_done_callback(lambda t: print("second done callback"))
    await other


async def awaiting_itself():
    async def selfish():
        try:
            await asyncio.current_task()
        except RuntimeError:
            print("a task awaiting itself: RuntimeError")
        return "recovered"

    print("await ->", await asyncio.create_task(selfish()))


async def ensure_future_and_sleep():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print("ensure_future(future) is the same future:", asyncio.ensure_future(fut) is fut)

    async def coro():
        return "from a coroutine"

    task = asyncio.ensure_future(coro())
    print("ensure_future(coro) is a Task:", isinstance(task, asyncio.Task))
    print("await ->", await task)
    print("sleep(0.01, result) ->", await asyncio.sleep(0.01, "slept"))
    print("sleep(0, result) ->", await asyncio.sleep(0, "yielded"))
    print("sleep(-1) acts as 0 ->", await asyncio.sleep(-1, "negative"))
    fut.cancel()


async def main():
    for section in [names_and_all_tasks, results_and_exceptions, done_callbacks_of_a_task,
                    awaiting_itself, ensure_future_and_sleep]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
