"""`python -m tests.connectors.guarded_worker -A config worker ...`: the `celery` command, in a
process that, like the tests, cannot connect beyond this machine."""

from __future__ import annotations

import ipaddress
import socket
import sys

_real_connect = socket.socket.connect


def _is_local(address) -> bool:
    if not isinstance(address, tuple):
        return True  # Unix sockets
    try:
        return address[0] == "localhost" or ipaddress.ip_address(address[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise RuntimeError(f"The test worker must not reach the network (tried {address!r})")
    return _real_connect(self, address)


if __name__ == "__main__":
    socket.socket.connect = _guarded_connect
    from celery.__main__ import main

    sys.exit(main())
