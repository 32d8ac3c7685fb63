"""Without payments configured, reward buttons explain instead of linking."""

from __future__ import annotations

import pytest

from core.pledge_links import PledgeLinkSigner
from core.ports import Clock
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, press, reply


@pytest.fixture
def pledge_signer() -> PledgeLinkSigner | None:
    """No link secret: payments are off."""
    return None


async def test_a_reward_button_says_payments_are_unavailable(
    discord_bot: RunningBot, clock: Clock
) -> None:
    await live_campaign(discord_bot.services.uows, clock)
    ada = discord_bot.member(discord_bot.server(), "ada")
    card = await reply(await ada.slash("campaign", options={"name": "lamp"}))

    answer = await reply(await press(ada, card, "Lamp · €75.00"))

    assert answer.visible_to == ada.user.id
    assert answer.content == (
        "Payments are unavailable right now. Please try again in a few minutes."
    )
