"""Context variables: each task runs in a copy of the context it was created in (and keeps it
across its steps), callbacks run in a copy of the context current when they were scheduled,
Context.run, and Token-based reset."""

import asyncio
import contextvars

request = contextvars.ContextVar("request", default="none")
user = contextvars.ContextVar("user")


async def tasks_copy_their_creation_context():
    async def child(name):
        print(f"{name} starts with", request.get())
        request.set(f"set by {name}")
        await asyncio.sleep(0)
        print(f"{name} keeps", request.get(), "across its steps")

    request.set("first")
    a = asyncio.create_task(child("a"))
    request.set("second")
    b = asyncio.create_task(child("b"))
    request.set("main's own")
    await a
    await b
    print("main still sees", request.get())


async def callbacks_use_the_scheduling_context():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def callback(label):
        print(f"{label} sees", request.get())
        request.set(f"changed by {label}")

    request.set("when cb1 was scheduled")
    loop.call_soon(callback, "cb1")
    request.set("when cb2 was scheduled")
    loop.call_soon(callback, "cb2")
    loop.call_later(0.01, callback, "timer")
    request.set("after scheduling")
    loop.call_soon(callback, "cb3")
    loop.call_later(0.02, done.set_result, None)
    await done
    print("main sees", request.get())


async def done_callbacks():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    request.set("when the done callback was added")
    fut.add_done_callback(lambda f: print("done callback sees", request.get()))
    ctx = contextvars.copy_context()
    ctx.run(request.set, "explicit context")
    fut.add_done_callback(lambda f: print("with context= sees", request.get()), context=ctx)
    request.set("when the result was set")
    fut.set_result(None)
    await asyncio.sleep(0)


async def task_with_an_explicit_context():
    async def child():
        print("child sees", request.get())
        request.set("written by the child")

    ctx = contextvars.copy_context()
    ctx.run(request.set, "in ctx")
    await asyncio.create_task(child(), context=ctx)
    print("ctx now holds", ctx[request], "; main sees", request.get())


async def task_created_in_a_callback():
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    async def child():
        print("task made by a callback sees", request.get())
        done.set_result(None)

    def callback():
        request.set("callback's value")
        asyncio.create_task(child())

    request.set("scheduling value")
    loop.call_soon(callback)
    await done


async def context_run():
    request.set("outside")
    ctx = contextvars.copy_context()

    def inside(value):
        print("inside run sees", request.get())
        request.set(value)
        return f"returned {value}"

    print(ctx.run(inside, "changed inside"))
    print("outside sees", request.get(), "; ctx holds", ctx[request])
    print("ctx.run again sees", ctx.run(request.get))
    print("has user ->", user in ctx, "; len(ctx) ->", len(ctx))
    try:
        ctx.run(lambda: ctx.run(lambda: None))
    except RuntimeError:
        print("entering a context twice: RuntimeError")


async def tokens():
    try:
        user.get()
    except LookupError:
        print("no value and no default: LookupError")
    print("get with a fallback ->", user.get("fallback"))
    first = user.set("alice")
    print("token old value is MISSING ->", first.old_value is contextvars.Token.MISSING)
    second = user.set("bob")
    print("now", user.get(), "; old value", second.old_value)
    user.reset(second)
    print("after reset", user.get())
    user.reset(first)
    print("after resetting the first token, has a value ->", user.get(None) is not None)
    try:
        user.reset(first)
    except RuntimeError:
        print("a token used twice: RuntimeError")
    print("request default ->", contextvars.copy_context().run(lambda: request.get()))
    try:
        user.reset(request.set("other variable"))
    except ValueError:
        print("a token of another variable: ValueError")
    other_context = contextvars.copy_context().run(user.set, "other context")
    try:
        user.reset(other_context)
    except ValueError:
        print("a token of another context: ValueError")


async def main():
    for section in [tasks_copy_their_creation_context, callbacks_use_the_scheduling_context,
                    done_callbacks, task_with_an_explicit_context, task_created_in_a_callback,
                    context_run, tokens]:
        print(f"== {section.__name__}")
        await asyncio.create_task(section(), context=contextvars.Context())
    print("== end")


asyncio.run(main())
