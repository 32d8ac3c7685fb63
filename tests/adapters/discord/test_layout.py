"""Button rows laid out within Discord's five rows of five, with unique custom ids."""

from __future__ import annotations

from adapters.discord.layout import card_rows, components, list_rows
from core.ports import Sort
from core.views.intents import Browse, CancelPledge, Follow, Pledge, PledgeCustom, Show
from core.views.model import Button, ListItem


def reward(number: int) -> Button:
    """A reward button of campaign 1."""
    return Button(f"Reward {number}", Pledge(1, number))


CUSTOM = Button("Pledge without a reward", PledgeCustom(1))
FOLLOW = Button("Follow", Follow(1))


def labels(rows: list[list[Button]]) -> list[list[str]]:
    """Each row's labels."""
    return [[button.label for button in row] for row in rows]


def test_rewards_are_packed_five_to_a_row_before_the_other_buttons() -> None:
    rows = card_rows((*((reward(n),) for n in range(7)), (CUSTOM,), (FOLLOW,)))

    assert labels(rows) == [
        [f"Reward {n}" for n in range(5)],
        ["Reward 5", "Reward 6"],
        ["Pledge without a reward", "Follow"],
    ]


def test_rewards_give_way_so_that_following_always_fits() -> None:
    rows = card_rows((*((reward(n),) for n in range(30)), (CUSTOM, FOLLOW)))

    assert [len(row) for row in rows] == [5, 5, 5, 5, 2]
    assert rows[-1] == [CUSTOM, FOLLOW]


def test_a_page_keeps_its_own_rows_and_items_take_what_is_left() -> None:
    items = [ListItem(f"C{n}", "", Show(n)) for n in range(10)]
    sorts = tuple((Button(f"S{n}", Browse(Sort.NEWEST, None, n)),) for n in range(4))

    rows = list_rows(items, sorts)

    # Six rows would not fit: the page's buttons are packed, and the items keep two rows.
    assert labels(rows) == [
        ["1. C0", "2. C1", "3. C2", "4. C3", "5. C4"],
        ["6. C5", "7. C6", "8. C7", "9. C8", "10. C9"],
        ["S0", "S1", "S2", "S3"],
    ]
    assert labels(list_rows(items[:3], sorts)) == [
        ["1. C0", "2. C1", "3. C2"],
        ["S0"],
        ["S1"],
        ["S2"],
        ["S3"],
    ]
    cancels = tuple((Button(f"X{n}", CancelPledge(n)),) for n in range(22))
    assert [len(row) for row in list_rows(items, cancels)] == [5, 5, 5, 5, 2]


async def test_a_repeated_intent_gets_a_custom_id_of_its_own_and_nothing_is_kept() -> None:
    again = Button("Again", FOLLOW.intent)

    view = components([[FOLLOW, again], [Button("Site", url="https://backit.test")]])

    ids = [getattr(item, "custom_id", None) for item in view.children]
    assert ids == ["f:1", "f:1#1", None]
    assert view.is_finished()
