"""Platform renderings of the views core keeps in memory, made once per view."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Concatenate, Generic, ParamSpec, TypeVar

V = TypeVar("V")
P = ParamSpec("P")
R = TypeVar("R")


class RenderedOnce(Generic[V, P, R]):
    """`render`, remembered for the last `size` views by identity: a view that core's cache
    hands out again is the same object, and renders to the same (immutable) message. What
    else `render` takes (a language, a minute) must be hashable, and is remembered with it."""

    def __init__(self, render: Callable[Concatenate[V, P], R], size: int = 512) -> None:
        self._render = render
        self._size = size
        # By id and the rest, keeping the view itself so that its id cannot be reused by
        # another meanwhile.
        self._renders: OrderedDict[Hashable, tuple[V, R]] = OrderedDict()

    def __call__(self, view: V, *args: P.args, **kwargs: P.kwargs) -> R:
        """The view rendered, again only if it is not one of the last seen with the rest."""
        key = (id(view), args, tuple(sorted(kwargs.items())))
        kept = self._renders.get(key)
        if kept is not None and kept[0] is view:
            self._renders.move_to_end(key)
            return kept[1]
        rendered = self._render(view, *args, **kwargs)
        self._renders[key] = (view, rendered)
        if len(self._renders) > self._size:
            self._renders.popitem(last=False)
        return rendered
