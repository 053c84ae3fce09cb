"""An audit hook that refuses every network connection and name look-up, and writes down who tried.

Threadcoder makes no network calls, ever: the data are disclosures of sexual violence. The test suite
installs this hook in its own process (tests/conftest.py) and, through ``sitecustomize`` in this folder,
in every Python process a test starts, so an import, a search process or a command that reached for the
network would fail its test. Local sockets stay allowed: multiprocessing talks over socket pairs.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

LOG_VARIABLE = "THREADCODER_NETWORK_LOG"
_LOCAL_HOSTS = {None, "", "localhost", "127.0.0.1", "::1"}
_REMOTE_FAMILIES = {socket.AF_INET, socket.AF_INET6}


class NetworkRefused(RuntimeError):
    """A connection or a name look-up was attempted."""


def _refuse(what: str) -> None:
    log = os.environ.get(LOG_VARIABLE)
    if log:
        with open(log, "a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()} {what}\n")
    raise NetworkRefused(f"network use refused: {what}")


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1] if len(args) > 1 else None
        if getattr(sock, "family", None) in _REMOTE_FAMILIES and not _loopback(address):
            _refuse(f"{event} {address!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        if args and args[0] not in _LOCAL_HOSTS:
            _refuse(f"{event} {args[0]!r}")
    elif event == "urllib.Request":
        url = str(args[0]) if args else ""
        if not url.startswith("file:"):  # xmlschema opens its own schema files by file: URLs
            _refuse(f"{event} {url!r}")
    elif event in ("http.client.connect", "ftplib.connect", "smtplib.connect"):
        _refuse(f"{event} {args[:2]!r}")


def _loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) and address else address
    return isinstance(host, str) and (host in _LOCAL_HOSTS or host.startswith("127."))


def install() -> None:
    """Refuse the network in this process from now on (audit hooks cannot be removed)."""
    if not getattr(sys, "_threadcoder_network_guard", False):
        sys.addaudithook(_hook)
        sys._threadcoder_network_guard = True  # type: ignore[attr-defined]
