"""Renderings remembered by view identity: a view handed out again renders once."""

from __future__ import annotations

from adapters.rendered_once import RenderedOnce


class View:
    """A stand-in for a core view: equal by value, told apart by identity."""

    def __init__(self, title: str) -> None:
        self.title = title


def test_the_same_view_renders_once_and_another_renders_anew() -> None:
    renders: list[str] = []

    def render(view: View) -> str:
        renders.append(view.title)
        return f"<b>{view.title}</b>"

    once = RenderedOnce(render, size=2)
    kept = View("Trending")
    assert [once(kept), once(kept)] == ["<b>Trending</b>"] * 2
    assert once(View("Trending")) == "<b>Trending</b>"  # equal, but not the one kept
    assert renders == ["Trending", "Trending"]


def test_only_the_last_views_seen_are_remembered() -> None:
    renders: list[str] = []

    def render(view: View) -> str:
        renders.append(view.title)
        return view.title

    once = RenderedOnce(render, size=2)
    first, second, third = View("a"), View("b"), View("c")
    for view in (first, second, third, first):
        once(view)

    assert renders == ["a", "b", "c", "a"]


def test_what_else_the_rendering_takes_is_remembered_with_the_view() -> None:
    renders: list[tuple[str, str]] = []

    def render(view: View, language: str, *, sharer: str | None = None) -> str:
        renders.append((view.title, language))
        return f"{view.title} ({language}, {sharer})"

    once = RenderedOnce(render)
    kept = View("Maréa")
    assert once(kept, "fr", sharer="ada") == once(kept, "fr", sharer="ada") == "Maréa (fr, ada)"
    assert once(kept, "en", sharer="ada") == "Maréa (en, ada)"
    assert once(kept, "fr", sharer="bob") == "Maréa (fr, bob)"

    assert renders == [("Maréa", "fr"), ("Maréa", "en"), ("Maréa", "fr")]
