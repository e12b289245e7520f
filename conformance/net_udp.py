"""UDP on 127.0.0.1 with datagram endpoints: an echo server, a connected client sending
whole datagrams, the callbacks in order, and sendto() checks."""

import asyncio


class EchoServer(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.transport.sendto(data.upper(), addr)


class Client(asyncio.DatagramProtocol):
    def __init__(self):
        self.events = []
        self.replies = asyncio.Queue()
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.events.append("connection_made")

    def datagram_received(self, data, addr):
        self.replies.put_nowait(data)

    def connection_lost(self, exc):
        self.events.append(f"connection_lost {exc}")
        self.closed.set_result(None)


async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(EchoServer, local_addr=("127.0.0.1", 0))
    server_addr = server.get_extra_info("sockname")[:2]
    client, protocol = await loop.create_datagram_endpoint(Client, remote_addr=server_addr)
    print("== echo")
    for message in [b"one", b"two", b"x" * 1000]:
        client.sendto(message)
        reply = await protocol.replies.get()
        print("reply:", reply[:10], len(reply))
    print("== checks")
    print("peername is the server:", client.get_extra_info("peername") == server_addr)
    try:
        client.sendto(b"x", ("127.0.0.1", 1))
    except ValueError:
        print("ValueError for another address")
    print("== close")
    client.close()
    print("closing:", client.is_closing())
    await protocol.closed
    print("events:", protocol.events)
    server.close()


asyncio.run(main())
