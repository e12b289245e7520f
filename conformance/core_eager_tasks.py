"""Eager tasks: with eager_start (or the eager task factory) a task's coroutine runs inside
create_task up to its first suspension; a coroutine that never suspends finishes there, and a
suspended eager task then joins the ready queue like any other task."""

import asyncio
import contextvars

request = contextvars.ContextVar("request", default="none")
main_task = None


async def steps(name, count):
    for step in range(count):
        current = asyncio.current_task()
        print(f"{name} step {step} (in its own task: {current is not main_task})")
        await asyncio.sleep(0)
    print(f"{name} done")
    return f"{name} result"


async def no_suspension(name):
    print(f"{name} runs to completion without suspending")
    return 42


async def fails_at_once():
    raise ValueError("failed eagerly")


async def eager_start_runs_synchronously():
    print("before create_task")
    task = asyncio.Task(steps("eager", 2), name="eager", loop=asyncio.get_running_loop(),
                        eager_start=True)
    print("after create_task; done ->", task.done(), "current task ->",
          asyncio.current_task().get_name())
    print("await ->", await task)


async def finishes_without_suspending():
    task = asyncio.Task(no_suspension("quick"), name="quick", loop=asyncio.get_running_loop(),
                        eager_start=True)
    print("done ->", task.done(), "result ->", task.result())
    print("in all_tasks ->", task in asyncio.all_tasks())
    print("cancel() ->", task.cancel())
    failing = asyncio.Task(fails_at_once(), loop=asyncio.get_running_loop(), eager_start=True)
    print("failing done ->", failing.done(), "exception ->", type(failing.exception()).__name__)


async def joins_the_ready_queue():
    lazy = asyncio.create_task(steps("lazy", 2), name="lazy")
    eager = asyncio.Task(steps("eager", 2), name="eager", loop=asyncio.get_running_loop(),
                        eager_start=True)
    print("both created")
    await lazy
    await eager


async def awaiting_a_done_future():
    fut = asyncio.get_running_loop().create_future()
    fut.set_result("ready")

    async def body():
        value = await fut
        print("got", value, "without suspending")
        return value

    task = asyncio.Task(body(), loop=asyncio.get_running_loop(), eager_start=True)
    print("done ->", task.done())


async def eager_task_factory():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    try:
        print("creating a")
        a = asyncio.create_task(steps("a", 2))
        print("creating b")
        b = asyncio.create_task(no_suspension("b"), name="b")
        print("b done ->", b.done(), "name ->", b.get_name())
        await a
    finally:
        loop.set_task_factory(None)


async def eager_context():
    async def body():
        print("eager body sees", request.get())
        request.set("changed by the eager task")
        print("eager body set it to", request.get())
        await asyncio.sleep(0)
        print("eager body still sees", request.get())

    request.set("main's value")
    task = asyncio.Task(body(), loop=asyncio.get_running_loop(), eager_start=True)
    print("main still sees", request.get())
    await task


async def eager_from_a_callback():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def callback():
        task = asyncio.Task(steps("from-callback", 1), name="from-callback", loop=loop,
                            eager_start=True)
        print("callback: current task after eager start ->", asyncio.current_task())
        task.add_done_callback(lambda t: done.set_result(t.result()))

    loop.call_soon(callback)
    print("await ->", await done)


async def cancelled_during_the_eager_step():
    async def self_cancel():
        print("eager body cancels itself:", asyncio.current_task().cancel())
        await asyncio.sleep(0)
        print("never printed")

    task = asyncio.Task(self_cancel(), loop=asyncio.get_running_loop(), eager_start=True)
    print("after create_task: done ->", task.done(), "cancelling() ->", task.cancelling())
    try:
        await task
    except asyncio.CancelledError:
        print("ended cancelled ->", task.cancelled())


async def nested_eager_tasks():
    loop = asyncio.get_running_loop()

    async def inner():
        print("inner runs as", asyncio.current_task().get_name())
        await asyncio.sleep(0)

    async def outer():
        child = asyncio.Task(inner(), loop=loop, name="inner", eager_start=True)
        print("outer is current again:", asyncio.current_task().get_name())
        await child

    await asyncio.Task(outer(), loop=loop, name="outer", eager_start=True)


async def main():
    global main_task
    main_task = asyncio.current_task()
    main_task.set_name("main")
    for section in [eager_start_runs_synchronously, finishes_without_suspending,
                    joins_the_ready_queue, awaiting_a_done_future, eager_task_factory,
                    eager_context, eager_from_a_callback, cancelled_during_the_eager_step,
                    nested_eager_tasks]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
