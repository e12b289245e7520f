"""Event and Condition: set() wakes every waiter in order, clear(), notify(n) and notify_all()
order, wait_for(), the lock re-acquired after a cancelled wait, a notification passed on by a
notified waiter that was cancelled, errors without the lock."""

import asyncio


async def event_wakes_all():
    event = asyncio.Event()

    async def waiter(name):
        print(f"{name} waits")
        print(f"{name} woke", await event.wait())

    tasks = [asyncio.create_task(waiter(name)) for name in "abc"]
    await asyncio.sleep(0.01)
    print("set; is_set before", event.is_set())
    event.set()
    event.clear()
    print("cleared; is_set", event.is_set())
    for task in tasks:
        await task
    late = asyncio.create_task(event.wait())
    await asyncio.sleep(0.01)
    print("late waiter done", late.done())
    event.set()
    print("late waiter got", await late)
    print("set event passes at once", await event.wait())


async def event_cancelled_waiter():
    event = asyncio.Event()
    cancelled = asyncio.create_task(event.wait())
    other = asyncio.create_task(event.wait())
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.sleep(0)
    event.set()
    print("other got", await other, "cancelled", cancelled.cancelled())


async def condition_notify_order():
    cond = asyncio.Condition()

    async def waiter(name):
        async with cond:
            print(f"{name} waits")
            result = await cond.wait()
            print(f"{name} woke {result} locked={cond.locked()}")

    tasks = [asyncio.create_task(waiter(name)) for name in "abcd"]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(2)
        print("notified 2")
    await asyncio.sleep(0.01)
    async with cond:
        cond.notify_all()
        print("notified all")
    for task in tasks:
        await task


async def condition_wait_for():
    cond = asyncio.Condition()
    state = {"value": 0}
    calls = []

    async def until_two():
        async with cond:
            def predicate():
                calls.append(state["value"])
                return state["value"] >= 2 and f"value {state['value']}"

            return await cond.wait_for(predicate)

    task = asyncio.create_task(until_two())
    for step in (1, 2):
        await asyncio.sleep(0.01)
        async with cond:
            state["value"] = step
            cond.notify()
    print("wait_for returned", await task, "calls", calls)


async def condition_cancelled_wait():
    cond = asyncio.Condition()
    await cond.acquire()
    wait = asyncio.create_task(cond.wait())
    asyncio.get_running_loop().call_soon(wait.cancel)
    try:
        await wait
    except asyncio.CancelledError:
        print("wait cancelled; locked", cond.locked())
    cond.release()


async def condition_cancelled_relock():
    cond = asyncio.Condition()
    wake = False

    async def waiter():
        async with cond:
            try:
                await cond.wait_for(lambda: wake)
            except asyncio.CancelledError as error:
                print("caught", type(error).__name__, repr(error.args[0]), "locked", cond.locked())
                raise

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await cond.acquire()
    wake = True
    cond.notify()
    await asyncio.sleep(0)
    task.cancel("foo")
    cond.release()
    try:
        await task
    except asyncio.CancelledError:
        print("task cancelled; locked", cond.locked())


async def condition_notification_passed_on():
    cond = asyncio.Condition()
    state = {"items": 0}

    async def consumer(name):
        async with cond:
            await cond.wait_for(lambda: state["items"] != 0)
            state["items"] -= 1
            print(f"{name} consumed")

    consumers = [asyncio.create_task(consumer(name)) for name in ("c0", "c1")]
    await asyncio.sleep(0)
    async with cond:
        state["items"] += 1
        cond.notify(1)
        consumers[0].cancel()
    await asyncio.sleep(0.01)
    print("items left", state["items"], "c0 cancelled", consumers[0].cancelled())
    await consumers[1]


async def condition_errors():
    cond = asyncio.Condition()
    for name, call in (("notify", cond.notify), ("notify_all", cond.notify_all)):
        try:
            call()
        except RuntimeError as error:
            print(name, "without the lock:", type(error).__name__)
    try:
        await cond.wait()
    except RuntimeError as error:
        print("wait without the lock:", type(error).__name__)
    lock = asyncio.Lock()
    first, second = asyncio.Condition(lock), asyncio.Condition(lock)
    async with first:
        print("shared lock: second locked", second.locked())


async def main():
    for section in [
        event_wakes_all,
        event_cancelled_waiter,
        condition_notify_order,
        condition_wait_for,
        condition_cancelled_wait,
        condition_cancelled_relock,
        condition_notification_passed_on,
        condition_errors,
    ]:
        print(f"== {section.__name__}")
        await section()
    print("== end")


asyncio.run(main())
