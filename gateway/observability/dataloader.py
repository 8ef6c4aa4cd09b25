"""A DataLoader that reports the size of every batch it sends (`gateway_loader_batch_size`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiodataloader import DataLoader

from gateway.observability.metrics import LOADER_BATCH_SIZE, child

K = TypeVar("K")
V = TypeVar("V")


class MeasuredDataLoader(DataLoader[K, V]):
    """Labelled by the batch function's name without `_load_` (`_load_services` -> services)."""

    def __init__(
        self, batch_load_fn: Callable[[list[K]], Awaitable[list[V]]], **options: Any
    ) -> None:
        histogram = child(LOADER_BATCH_SIZE, batch_load_fn.__name__.removeprefix("_load_"))

        async def measured(keys: list[K]) -> list[V]:
            histogram.observe(len(keys))
            return await batch_load_fn(keys)

        super().__init__(measured, **options)
