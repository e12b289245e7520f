"""A streams server's lifecycle on 127.0.0.1: start_serving=False, serve_forever() ended by
cancellation, close() with clients still connected, wait_closed(), close_clients(), the
server as an async context manager, and a refused connection once it is closed."""

import asyncio


async def main():
    handled = []

    async def handle(reader, writer):
        name = (await reader.readline()).decode().strip()
        handled.append(name)
        writer.write(f"hello {name}\n".encode())
        await writer.drain()
        await reader.read()
        writer.close()

    print("== serve_forever")
    server = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
    port = server.sockets[0].getsockname()[1]
    print("serving before:", server.is_serving())
    serving = asyncio.create_task(server.serve_forever())
    await asyncio.sleep(0)
    print("serving after:", server.is_serving())

    clients = []
    for name in ["ann", "bob", "cid"]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"{name}\n".encode())
        print((await reader.readline()).decode().strip())
        clients.append((reader, writer))
    print("handled:", sorted(handled))

    print("== close with clients connected")
    server.close()
    print("is_serving:", server.is_serving(), "sockets:", len(server.sockets))
    waiting = asyncio.create_task(server.wait_closed())
    await asyncio.sleep(0.05)
    print("wait_closed done while clients connected:", waiting.done())
    server.close_clients()
    await waiting
    print("wait_closed done after close_clients:", waiting.done())
    for reader, writer in clients:
        print("client reads EOF:", await reader.read() == b"")
        writer.close()
    try:
        await serving
    except asyncio.CancelledError:
        print("serve_forever cancelled by close()")

    print("== refused after close")
    try:
        await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        print("ConnectionRefusedError")

    print("== context manager")
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"dee\n")
        print((await reader.readline()).decode().strip())
        writer.close()
        await writer.wait_closed()
    print("after async with: serving", server.is_serving())


asyncio.run(main())
