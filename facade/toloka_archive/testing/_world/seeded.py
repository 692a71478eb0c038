"""Repeatable "random" values: ids and fault draws derived from the fake's seed.

Each purpose (request ids, operation ids, fault draws) has its own numbered sequence, and value
number n is a hash of (seed, purpose, n). Hashing rather than a shared generator keeps the
purposes independent: adding a probabilistic fault does not change any id, and the same
requests in the same order give the same bytes, run after run, on any machine.

Operation ids must also sort in the order the operations were made, so that paging the list
with ``sort=id&id_gt=<last id>`` meets each one once and new ones last; so
`SeededSequence.next_ordered_id` puts the number first.
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
        """A UUID-shaped id (version 4 layout), e.g. for ``request_id``."""
        return str(uuid.UUID(bytes=self._next_bytes(), version=4))

    def next_ordered_id(self) -> str:
        """24 lowercase hex digits, the shape of Toloka's operation ids, that sort as they were
        made: value number n, zero-padded to 10 digits, then 14 digits of the hash (which differ
        from seed to seed), e.g. ``0000000001daefed99fe98e7`` for the first value of seed 0."""
        digest = self._next_bytes()
        return f"{self._count:010x}{digest.hex()[:14]}"

    def next_float(self) -> float:
        """A number in [0, 1), uniformly spread."""
        return int.from_bytes(self._next_bytes()[:7], "big") / float(1 << 56)
