"""Task interleaving: tasks start in creation order on the next iteration, sleep(0) lets every
other ready task run once, timed sleeps wake in deadline order, and a task awaiting another
wakes one iteration after it finishes."""

import asyncio


async def spinner(name, steps):
    for step in range(steps):
        print(f"{name} step {step}")
        await asyncio.sleep(0)
    print(f"{name} done")
    return name


async def sleeper(name, delays):
    for delay in delays:
        print(f"{name} sleeps {delay}")
        await asyncio.sleep(delay)
        print(f"{name} woke after {delay}")
    return f"{name} result"


async def waiter(name, other):
    print(f"{name} waits for {other.get_name()}")
    result = await other
    print(f"{name} got {result!r} from {other.get_name()}")


async def sleep_zero_round_robin():
    tasks = [asyncio.create_task(spinner(name, 3), name=name) for name in ["a", "b", "c"]]
    print("created a, b, c; nothing ran yet")
    await asyncio.sleep(0)
    print("main after one sleep(0)")
    results = [await task for task in tasks]
    print("results", results)


async def timed_sleeps():
    first = asyncio.create_task(sleeper("x", [0.3, 0.1]), name="x")
    second = asyncio.create_task(sleeper("y", [0.1, 0.1, 0.15]), name="y")
    third = asyncio.create_task(sleeper("z", [0.25]), name="z")
    print("results", [await first, await second, await third])


async def awaiting_tasks():
    target = asyncio.create_task(sleeper("target", [0.05]), name="target")
    waiters = [asyncio.create_task(waiter(f"w{i}", target), name=f"w{i}") for i in range(3)]
    await asyncio.sleep(0)
    print("target done?", target.done())
    for task in waiters:
        await task
    print("all waiters done")


async def current_task_names():
    async def who():
        print("running:", asyncio.current_task().get_name())
        await asyncio.sleep(0)
        print("still:", asyncio.current_task().get_name())

    tasks = [asyncio.create_task(who(), name=f"who-{i}") for i in range(2)]
    print("main is", asyncio.current_task().get_name())
    for task in tasks:
        await task


async def main():
    asyncio.current_task().set_name("main")
    for section in [sleep_zero_round_robin, timed_sleeps, awaiting_tasks, current_task_names]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
