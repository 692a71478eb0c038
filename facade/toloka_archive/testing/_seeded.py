"""Repeatable "random" values: ids and fault draws derived from the fake's seed.

Each purpose (request ids, operation ids, fault draws) has its own numbered sequence, and value
number n is a hash of (seed, purpose, n). Hashing rather than a shared generator keeps the
purposes independent: adding a probabilistic fault does not change any id, and the same
requests in the same order give the same bytes, run after run, on any machine.
"""

from __future__ import annotations

import hashlib
import uuid


class SeededSequence:
    def __init__(self, seed: int, purpose: str) -> None:
        self._prefix = f"{seed}/{purpose}/".encode()
        self._count = 0

    def _next_bytes(self) -> bytes:
        self._count += 1
        return hashlib.blake2b(self._prefix + str(self._count).encode(), digest_size=16).digest()

    def next_uuid(self) -> str:
        """A UUID-shaped id (version 4 layout), e.g. for ``request_id`` and operation ids."""
        return str(uuid.UUID(bytes=self._next_bytes(), version=4))

    def next_float(self) -> float:
        """A number in [0, 1), uniformly spread."""
        return int.from_bytes(self._next_bytes()[:7], "big") / float(1 << 56)
