"""A list posted in a channel is everyone's: only who asked for it changes it in place."""

from __future__ import annotations

from datetime import timedelta

from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, press, reply


async def test_other_members_paging_a_shared_list_get_copies_of_their_own(
    discord_bot: RunningBot, clock: Clock
) -> None:
    for number in range(1, 8):
        await live_campaign(
            discord_bot.services.uows,
            clock,
            f"c{number}",
            title=f"Campaign {number}",
            started=timedelta(days=10 - number),
        )
    makers = discord_bot.server()
    ada, bob, cleo = (discord_bot.member(makers, name) for name in ("ada", "bob", "cleo"))
    shared = await reply(await ada.slash("discover"))

    bobs = await reply(await press(bob, shared, "Next ▶"))
    cleos = await reply(await press(cleo, shared, "New"))

    # Each of them got a copy only they see; the list everyone sees did not move.
    assert (bobs.id != shared.id, bobs.visible_to) == (True, bob.user.id)
    assert (cleos.id != shared.id, cleos.visible_to) == (True, cleo.user.id)
    assert embed(bobs)["footer"]["text"] == "Page 2 of 2"
    assert embed(cleos)["title"] == "New"
    assert embed(shared)["footer"]["text"] == "Page 1 of 2"
    assert embed(shared)["title"] == "Trending"
    # Their copies are theirs to go on with, in place.
    back = await reply(await press(bob, bobs, "◀ Previous"))
    assert (back.id, embed(back)["footer"]["text"]) == (bobs.id, "Page 1 of 2")
    # The member who asked still changes the shared list itself.
    moved = await reply(await press(ada, shared, "Next ▶"))
    assert (moved.id, moved.visible_to) == (shared.id, None)
    assert embed(moved)["footer"]["text"] == "Page 2 of 2"
