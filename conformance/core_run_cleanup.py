"""asyncio.run() cleanup: after the main coroutine ends, every pending task is cancelled and
awaited (its finally blocks run, and may await), then open async generators are closed, then
the loop closes. Each scenario is its own asyncio.run() with one chain of tasks, because the
order in which independent tasks are cancelled is not defined."""

import asyncio
import contextvars

keep_alive = []
setting = contextvars.ContextVar("setting", default="unset")


def pending_chain():
    async def inner():
        try:
            await asyncio.sleep(10)
        finally:
            print("inner finally: cancelled ->", asyncio.current_task().cancelling() > 0)
            await asyncio.sleep(0.01)
            print("inner cleanup awaited a sleep")

    async def middle(child):
        try:
            await child
        finally:
            print("middle finally")

    async def outer(child):
        try:
            await child
        except asyncio.CancelledError:
            print("outer caught CancelledError")
            raise
        finally:
            print("outer finally")

    async def main():
        loop = asyncio.get_running_loop()
        keep_alive.append(loop)
        inner_task = asyncio.create_task(inner())
        middle_task = asyncio.create_task(middle(inner_task))
        asyncio.create_task(outer(middle_task))
        await asyncio.sleep(0)
        try:
            print("main returns")
            return "main result"
        finally:
            print("main finally")

    print("run ->", asyncio.run(main()))
    print("loop closed ->", keep_alive.pop().is_closed())


async def numbers(label):
    try:
        for i in range(10):
            yield i
    finally:
        print(f"{label} finally starts")
        await asyncio.sleep(0)
        print(f"{label} finally awaited")


def async_generators():
    async def main():
        suspended = numbers("suspended generator")
        keep_alive.append(suspended)
        print("first values:", await anext(suspended), await anext(suspended))
        exhausted = numbers("exhausted generator")
        print("all values:", [value async for value in exhausted])
        never_started = numbers("never started generator")
        keep_alive.append(never_started)
        print("main returns")

    asyncio.run(main())
    print("after run")
    keep_alive.clear()


def generator_inside_a_pending_task():
    async def ticker():
        try:
            while True:
                await asyncio.sleep(0.1)
                yield "tick"
        finally:
            print("ticker finally (the sleep inside it was cancelled)")

    async def consumer():
        try:
            async for tick in ticker():
                print("consumer got", tick)
        finally:
            print("consumer finally")

    async def main():
        asyncio.create_task(consumer())
        await asyncio.sleep(0.15)
        print("main returns")

    asyncio.run(main())
    print("after run")


def main_raises():
    async def worker():
        try:
            await asyncio.sleep(10)
        finally:
            print("worker finally")

    async def main():
        asyncio.create_task(worker())
        await asyncio.sleep(0)
        raise ValueError("main failed")

    try:
        asyncio.run(main())
    except ValueError as exc:
        print("run raised ValueError:", exc)


def shutdown_outcomes():
    async def swallows():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("swallows: caught the shutdown cancellation, returns")
            return "ignored"

    async def fails(child):
        print("fails: child returned", repr(await child))
        raise RuntimeError("cleanup failed")

    def handler(loop, context):
        print("exception handler:", context["message"], "-",
              type(context["exception"]).__name__, context["exception"])

    async def main():
        asyncio.get_running_loop().set_exception_handler(handler)
        child = asyncio.create_task(swallows())
        asyncio.create_task(fails(child))
        await asyncio.sleep(0)
        print("main returns")

    asyncio.run(main())
    print("after run")


def generator_fails_to_close():
    async def emits_in_finally():
        try:
            yield 1
        finally:
            print("generator finally tries to yield")
            yield 2

    def handler(loop, context):
        # CPython appends the generator's repr (with its address) to the message.
        message = context["message"].partition(" <")[0]
        print("exception handler:", message, "-", type(context["exception"]).__name__)

    async def main():
        asyncio.get_running_loop().set_exception_handler(handler)
        gen = emits_in_finally()
        keep_alive.append(gen)
        print("first value:", await anext(gen))

    asyncio.run(main())
    print("after run")
    keep_alive.clear()


def task_started_during_shutdown():
    """Shutdown cancels the tasks pending when main ended; one started later runs while the
    loop still runs, and is left pending when it closes."""

    async def late():
        print("late task starts during shutdown")
        await asyncio.sleep(0)
        print("late task after one step")
        await asyncio.sleep(10)
        print("never printed")

    async def worker():
        try:
            await asyncio.sleep(10)
        finally:
            print("worker finally starts a new task")
            keep_alive.append(asyncio.create_task(late()))
            await asyncio.sleep(0)
            print("worker finally ends")

    async def main():
        asyncio.create_task(worker())
        await asyncio.sleep(0)
        print("main returns")

    asyncio.run(main())
    print("after run; the late task is done ->", keep_alive.pop().done())


def runner_runs_share_a_loop_and_context():
    async def background():
        try:
            for tick in range(3):
                print("background tick", tick, "sees", setting.get())
                await asyncio.sleep(0.1)
            await asyncio.sleep(10)
        finally:
            print("background finally: cancelled when the runner closes")

    async def first():
        setting.set("set in run 1")
        asyncio.create_task(background())
        await asyncio.sleep(0.05)
        print("run 1 ends")

    async def second():
        print("run 2 sees", setting.get())
        await asyncio.sleep(0.3)
        print("run 2 ends")

    with asyncio.Runner() as runner:
        runner.run(first())
        print("between runs")
        runner.run(second())
        print("closing the runner")
    print("runner closed")


for scenario in [pending_chain, async_generators, generator_inside_a_pending_task, main_raises,
                 shutdown_outcomes, generator_fails_to_close,
                 task_started_during_shutdown, runner_runs_share_a_loop_and_context]:
    print(f"== {scenario.__name__}")
    scenario()
print("== end")
