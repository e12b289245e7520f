"""echo_server anchor: an asyncio streams echo server (readexactly, write, drain), driven by
the same Node client as the asyncio-ts row, measured in round-trips per server CPU-second."""

import asyncio
import json
import os
import time

from common import parser, report, run

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLIENT = os.path.join(ROOT, "bench", "js", "echo_client.ts")


async def main(connections, rounds, size):
    async def handle(reader, writer):
        try:
            while True:
                writer.write(await reader.readexactly(size))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    started = time.process_time()
    client = await asyncio.create_subprocess_exec(
        "node", "--import", "tsx", CLIENT, str(port), str(connections), str(rounds), str(size),
        stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )
    output, _ = await client.communicate()
    cpu = time.process_time() - started
    server.close()
    await server.wait_closed()
    result = json.loads(output.decode().strip().splitlines()[-1])
    report(
        result["roundtrips"] / cpu,
        server_cpu_s=cpu,
        wall_s=result["seconds"],
        rt_per_wall_s=result["roundtrips"] / result["seconds"],
    )


if __name__ == "__main__":
    arguments = parser("asyncio streams echo server")
    arguments.add_argument("--connections", type=int, default=50)
    arguments.add_argument("--rounds", type=int, default=1000)
    arguments.add_argument("--size", type=int, default=100)
    options = arguments.parse_args()
    run(main(options.connections, options.rounds, options.size), options.loop)
