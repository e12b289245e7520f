"""wait_for() with 3.12 semantics: a result in time; on timeout the work is cancelled and
waited for before TimeoutError; a zero timeout (a done future gives its result, a coroutine
never starts); work that swallows the cancellation; cancelling the waiter cancels the work;
a shielded task runs on after the timeout."""

import asyncio


async def work(name, delay, log):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        await asyncio.sleep(0.01)
        log.append(f"{name} cleaned up")
        raise
    log.append(f"{name} done")
    return name


async def main():
    loop = asyncio.get_running_loop()

    print("== in time")
    log = []
    print(await asyncio.wait_for(work("quick", 0.01, log), 1), log)

    print("== timeout waits for the cleanup")
    log = []
    try:
        await asyncio.wait_for(work("slow", 1, log), 0.02)
    except TimeoutError:
        log.append("TimeoutError")
    print(log)

    print("== task timeout")
    log = []
    task = asyncio.create_task(work("task", 1, log))
    try:
        await asyncio.wait_for(task, 0.02)
    except TimeoutError:
        print("TimeoutError; task cancelled:", task.cancelled(), log)

    print("== zero timeout")
    done = loop.create_future()
    done.set_result("ready")
    print(await asyncio.wait_for(done, 0))
    started = []

    async def tracked():
        started.append(True)

    try:
        await asyncio.wait_for(tracked(), 0)
    except TimeoutError:
        print("TimeoutError; started:", bool(started))

    print("== swallowed cancellation")

    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            return "kept"

    print(await asyncio.wait_for(stubborn(), 0.01))

    print("== cancelling the waiter")
    log = []
    work_task = asyncio.create_task(work("w", 1, log))
    waiter = asyncio.create_task(asyncio.wait_for(work_task, 0.5))
    await asyncio.sleep(0.01)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("waiter CancelledError; work cancelled:", work_task.cancelled(), log)

    print("== shielded")
    log = []
    protected = asyncio.create_task(work("protected", 0.3, log))
    try:
        await asyncio.wait_for(asyncio.shield(protected), 0.01)
    except TimeoutError:
        print("TimeoutError; protected done:", protected.done())
    print(await protected, log)

    print("== no timeout")
    print(await asyncio.wait_for(work("unbounded", 0.01, []), None))


asyncio.run(main())
