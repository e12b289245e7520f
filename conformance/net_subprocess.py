"""Child processes with stream pipes: exec and shell, communicate() with input, stdout and
stderr apart or merged (STDOUT), DEVNULL, exit codes, a killed child (minus the signal
number), reading stdout line by line, and a missing program."""

import asyncio
from asyncio.subprocess import DEVNULL, PIPE, STDOUT


async def main():
    print("== exec and wait")
    proc = await asyncio.create_subprocess_exec("echo", "hello", "world", stdout=PIPE)
    print("stdout:", await proc.stdout.read())
    print("returncode:", await proc.wait(), proc.returncode)

    print("== communicate")
    proc = await asyncio.create_subprocess_shell(
        "sort; echo oops >&2; exit 3", stdin=PIPE, stdout=PIPE, stderr=PIPE
    )
    out, err = await proc.communicate(b"pear\napple\nfig\n")
    print("out:", out)
    print("err:", err)
    print("returncode:", proc.returncode)

    print("== merged and discarded")
    proc = await asyncio.create_subprocess_shell(
        "echo to-out; sleep 0.1; echo to-err >&2", stdout=PIPE, stderr=STDOUT
    )
    print("merged:", await proc.communicate())
    proc = await asyncio.create_subprocess_shell("echo gone", stdout=DEVNULL)
    print("devnull:", await proc.communicate(), proc.returncode)

    print("== lines")
    proc = await asyncio.create_subprocess_exec("printf", "a\\nb\\nc", stdout=PIPE)
    while line := await proc.stdout.readline():
        print("line:", line)
    await proc.wait()

    print("== killed")
    proc = await asyncio.create_subprocess_exec("sleep", "30")
    proc.terminate()
    print("terminated:", await proc.wait())
    proc = await asyncio.create_subprocess_exec("sleep", "30")
    proc.kill()
    print("killed:", await proc.wait())

    print("== missing program")
    try:
        await asyncio.create_subprocess_exec("/nonexistent/program")
    except FileNotFoundError:
        print("FileNotFoundError")


asyncio.run(main())
