"""Streams over TCP on 127.0.0.1: an echo server and clients, the reader's read functions,
EOF and half-close, IncompleteReadError, LimitOverrunError and an over-long readline."""

import asyncio


async def echo(reader, writer):
    while True:
        line = await reader.readline()
        if not line:
            break
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def feed(reader, writer):
    await reader.readexactly(1)
    writer.write(b"HEADline one\nfield;rest")
    writer.write_eof()
    await writer.drain()
    await reader.read()
    writer.close()


async def long_line(reader, writer):
    writer.write(b"x" * 200 + b"\nshort\n")
    await writer.drain()
    writer.close()


async def main():
    print("== echo")
    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    for client in range(2):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for word in ["hello", "world"]:
            writer.write(f"{client} {word}\n".encode())
            await writer.drain()
            print("reply:", (await reader.readline()).decode().strip())
        writer.write_eof()
        print("eof from server:", await reader.read() == b"", reader.at_eof())
        writer.close()
        await writer.wait_closed()
    server.close()
    await server.wait_closed()

    print("== read functions")
    server = await asyncio.start_server(feed, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"!")
    print("readexactly:", await reader.readexactly(4))
    print("readline:", await reader.readline())
    print("readuntil:", await reader.readuntil((b";", b"\r\n")))
    try:
        await reader.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print("IncompleteReadError:", e.partial, e.expected)
    print("read at eof:", await reader.read(), reader.at_eof())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()

    print("== limits")
    server = await asyncio.start_server(long_line, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=64)
    try:
        await reader.readuntil(b"\n")
    except asyncio.LimitOverrunError as e:
        print("LimitOverrunError consumed:", e.consumed)
    try:
        await reader.readline()
    except ValueError as e:
        print(type(e).__name__)
    print("next line:", await reader.readline())
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()


asyncio.run(main())
