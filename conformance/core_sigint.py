"""Ctrl-C under asyncio.run(): the first SIGINT cancels the main task (its finally blocks and
the other tasks' run as usual) and asyncio.run() raises KeyboardInterrupt; a main task that
handles the cancellation returns normally."""

import asyncio
import os
import signal


async def worker():
    try:
        await asyncio.sleep(5)
    finally:
        print("worker finally: cancelled at shutdown")


async def interrupted():
    asyncio.create_task(worker())
    try:
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.sleep(5)
        print("never printed")
    except asyncio.CancelledError:
        print("main cancelled by SIGINT")
        raise
    finally:
        print("main finally")


async def handles_it():
    try:
        os.kill(os.getpid(), signal.SIGINT)
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("main caught the cancellation and returns")
    return "returned normally"


try:
    asyncio.run(interrupted())
except KeyboardInterrupt:
    print("asyncio.run raised KeyboardInterrupt")
print("asyncio.run ->", asyncio.run(handles_it()))
