"""Platform renderings of the views core keeps in memory, made once per view."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")
R = TypeVar("R")


class RenderedOnce(Generic[V, R]):
    """`render`, remembered for the last `size` views by identity: a view that core's cache
    hands out again is the same object, and renders to the same (immutable) message."""

    def __init__(self, render: Callable[[V], R], size: int = 512) -> None:
        self._render = render
        self._size = size
        # By id, keeping the view itself so that its id cannot be reused by another meanwhile.
        self._renders: OrderedDict[int, tuple[V, R]] = OrderedDict()

    def __call__(self, view: V) -> R:
        """The view rendered, again only if it is not one of the last seen."""
        kept = self._renders.get(id(view))
        if kept is not None and kept[0] is view:
            self._renders.move_to_end(id(view))
            return kept[1]
        rendered = self._render(view)
        self._renders[id(view)] = (view, rendered)
        if len(self._renders) > self._size:
            self._renders.popitem(last=False)
        return rendered
