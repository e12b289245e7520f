"""Driving a loop by hand: run_until_complete, run_forever and stop() (the current iteration
finishes; what it scheduled waits for the next run), is_running/is_closed, and misuse of a
running or closed loop."""

import asyncio


def log(*parts):
    print(*parts)


def run_until_complete():
    loop = asyncio.new_event_loop()
    print("running before:", loop.is_running())

    async def work():
        print("running inside:", asyncio.get_running_loop() is loop and loop.is_running())
        await asyncio.sleep(0.01)
        return "work result"

    print("run_until_complete ->", loop.run_until_complete(work()))
    fut = loop.create_future()
    loop.call_soon(fut.set_result, "future result")
    print("run_until_complete(future) ->", loop.run_until_complete(fut))
    print("already done ->", loop.run_until_complete(fut))

    async def fails():
        raise ValueError("work failed")

    try:
        loop.run_until_complete(fails())
    except ValueError as exc:
        print("run_until_complete raised ValueError", exc)
    loop.close()
    print("closed:", loop.is_closed())


def stop_finishes_the_iteration():
    loop = asyncio.new_event_loop()

    def stopper():
        log("stopper calls stop()")
        loop.stop()
        loop.call_soon(log, "scheduled by stopper: waits for the next run")

    loop.call_soon(log, "before stopper")
    loop.call_soon(stopper)
    loop.call_soon(log, "after stopper: same iteration, still runs")
    loop.run_forever()
    print("run_forever returned; running:", loop.is_running())
    loop.call_soon(loop.stop)
    loop.run_forever()
    print("second run_forever returned")
    loop.stop()
    loop.call_soon(log, "stop() before run_forever: one iteration runs")
    loop.run_forever()
    loop.close()


def closed_loop():
    loop = asyncio.new_event_loop()
    loop.close()
    loop.close()
    print("closing twice is fine")
    for name, call in [("call_soon", lambda: loop.call_soon(log, "x")),
                       ("call_later", lambda: loop.call_later(1, log, "x")),
                       ("run_forever", loop.run_forever)]:
        try:
            call()
            print(name, "on a closed loop: no error")
        except RuntimeError:
            print(name, "on a closed loop: RuntimeError")


def running_loop_misuse():
    loop = asyncio.new_event_loop()

    async def misuse():
        try:
            loop.close()
        except RuntimeError:
            print("close() while running: RuntimeError")
        try:
            asyncio.get_running_loop().run_forever()
        except RuntimeError:
            print("run_forever() while running: RuntimeError")

    loop.run_until_complete(misuse())
    loop.close()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        print("get_running_loop() outside a loop: RuntimeError")


def callback_errors_do_not_stop_the_loop():
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(
        lambda loop, context: print("handler got", type(context["exception"]).__name__))

    def broken():
        raise ValueError("broken callback")

    loop.call_soon(broken)
    loop.call_soon(log, "the loop goes on")
    loop.call_soon(loop.stop)
    loop.run_forever()
    loop.close()


for scenario in [run_until_complete, stop_finishes_the_iteration, closed_loop,
                 running_loop_misuse, callback_errors_do_not_stop_the_loop]:
    print(f"== {scenario.__name__}")
    scenario()
print("== end")
