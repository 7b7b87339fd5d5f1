"""Group commit: many concurrent writes, one transaction and one flush to disk.

A durable write costs one commit, and a commit costs one flush to disk (SQLite's
`synchronous=FULL`, PostgreSQL's WAL flush), whatever it holds. So the requests that arrive
while a commit is on its way wait for the next one together: each request hands its item to
the process's one writer and awaits it; the writer takes everything that is waiting, does the
work for all of it in one transaction on its own thread (the event loop keeps serving), commits,
and only then answers each request with its own outcome. Nobody is answered before the commit
that holds their write has returned, so every answer stands on disk.

There is no timer: while one batch commits, the next gathers. One request alone is committed
at once; fifty at once share a commit. Each process has its own writer; several processes (or
hosts) over one PostgreSQL database each commit their own batches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

from .db import write_lock

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

# Enough to share a commit between every client a process serves at once, and few enough
# that a batch's statements stay far within SQLite's limit on bound parameters.
MAX_BATCH = 256

Work = Callable[[Connection, Sequence[Item]], Sequence["Outcome | Exception"]]


class GroupCommit(Generic[Item, Outcome]):
    """One writer per process: `await submit(item)` returns the item's outcome once it is
    committed (or raises the exception `work` gave for it, or the one the commit raised).

    `work(connection, items)` runs on the writer's thread inside one transaction and returns
    one outcome per item, in order: a value, or an exception for that item alone (nothing of
    it may have been written). An exception raised by `work` or the commit fails the batch.
    """

    def __init__(self, engine: Engine, work: Work, max_batch: int = MAX_BATCH):
        self.engine, self.work, self.max_batch = engine, work, max_batch
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="group-commit")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: list[tuple[Item, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None

    async def submit(self, item: Item) -> Outcome:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests start one per client)
            self._loop, self._waiting, self._writer = loop, [], None
        future = loop.create_future()
        self._waiting.append((item, future))
        if self._writer is None:
            self._writer = loop.create_task(self._drain())
        outcome = await future
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                batch = self._waiting[:self.max_batch]
                del self._waiting[:self.max_batch]
                items = [item for item, _ in batch]
                try:
                    outcomes = await loop.run_in_executor(self._thread, self._commit, items)
                except Exception as exc:  # noqa: BLE001 - each waiting request gets it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if not future.done():  # a request whose client went away
                        future.set_result(outcome)
        finally:
            self._writer = None

    def _commit(self, items: list[Item]) -> Sequence[Outcome | Exception]:
        with write_lock(self.engine), self.engine.begin() as connection:
            return self.work(connection, items)

    def close(self) -> None:
        self._thread.shutdown(wait=True)
