"""Logins from one client address are checked one at a time, each after that address's pause
(see `login_delay`): guessing from one machine is slow, in parallel or not, and nobody else
waits for it. The pause is an async sleep, so it holds no worker thread."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from starlette.requests import Request

# Logins from one address queued at once beyond this are refused at once (429).
MAX_QUEUED = 10


class LoginGate:
    def __init__(self) -> None:
        self._locks: dict[str, anyio.Lock] = {}
        self._queued: dict[str, int] = {}

    def crowded(self, address: str) -> bool:
        return self._queued.get(address, 0) >= MAX_QUEUED

    @asynccontextmanager
    async def turn(self, address: str) -> AsyncIterator[None]:
        """Waits until the address's earlier logins are answered."""
        lock = self._locks.setdefault(address, anyio.Lock())
        self._queued[address] = self._queued.get(address, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._queued[address] -= 1
            if not self._queued[address]:
                del self._queued[address], self._locks[address]


def client_address(request: Request) -> str:
    """The visitor's address (the real one behind a trusted proxy: `pipeline serve --proxy`)."""
    return request.client.host if request.client else "-"


def login_gate(request: Request) -> LoginGate:
    gate: LoginGate = request.app.state.login_gate
    return gate
