"""Update drafts: one per author, taken once with their key, dropped when old."""

from __future__ import annotations

from adapters.discord.drafts import UpdateDrafts
from adapters.discord.updates import field_sizes


class Ticking:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_draft_is_taken_once_by_its_author_with_its_key() -> None:
    drafts = UpdateDrafts()
    draft = drafts.keep(1, 7, "Lamp", "News.")

    assert drafts.take(2, draft.key) is None
    assert drafts.take(1, "other") is None
    assert drafts.take(1, draft.key) == draft
    assert drafts.take(1, draft.key) is None


def test_a_newer_draft_replaces_the_authors_older_one() -> None:
    drafts = UpdateDrafts()
    older = drafts.keep(1, 7, "Lamp", "First.")
    newer = drafts.keep(1, 7, "Lamp", "Second.")

    assert drafts.take(1, older.key) is None
    assert drafts.take(1, newer.key) == newer


def test_an_old_draft_is_gone() -> None:
    clock = Ticking()
    drafts = UpdateDrafts(lifetime=60, clock=clock)
    draft = drafts.keep(1, 7, "Lamp", "News.")

    clock.now += 60
    assert drafts.take(1, draft.key) is None


def test_a_long_update_gets_as_many_fields_as_it_needs_within_the_limit() -> None:
    assert field_sizes(10_000) == [4000, 4000, 1996]
    assert field_sizes(3_000) == [3000]
    assert field_sizes(4_001) == [4000]
    assert field_sizes(50_000) == [4000] * 5
