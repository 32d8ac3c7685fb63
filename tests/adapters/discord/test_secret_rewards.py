"""Secret rewards end to end: listed on no card, shown by /campaign with their code to the member
alone, paid on Stripe's page.

The bot runs beside Backit's web server and the Stripe stand-in (tests/payment_fixtures.py), on
the `database` fixture, so this runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp
import pytest

from adapters.stripe.gateway import StripeGateway
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from core.usecases.managing import TierDraft
from tests.adapters.discord.people import RunningBot, button, embed, identity, labels, press, reply
from tests.payment_fixtures import RunningBackit
from tests.stripe_standin_fixtures import MovableClock

TIERS = (
    TierDraft("Lamp", "One lamp", 7_500),
    TierDraft("Backstage pass", "Meet the makers", 20_000, quantity_limit=5, secret=True),
)
SECRET = "Backstage pass · €200.00 · 5 left"
INVALID = "This reward link is not valid. Ask the creator who shared it for a new one."


@pytest.fixture
def clock(stripe_clock: MovableClock) -> Clock:
    """The clock the web server and the Stripe stand-in share."""
    return stripe_clock


@pytest.fixture
def public_url(backit: RunningBackit) -> str:
    """Backit's running web server, where pledge links lead."""
    return backit.url


@pytest.fixture
def payment_gateway(stripe_gateway: StripeGateway) -> PaymentGateway:
    """Backit's Stripe gateway, on the stand-in."""
    return stripe_gateway


async def test_a_secret_reward_is_not_listed_but_pledged_for_through_the_campaign_command(
    discord_bot: RunningBot, backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await backit.campaign("lamp", tiers=TIERS, creator=identity(ada))
    code = lamp.tiers[1].secret_code
    assert code is not None

    listed = await reply(await bob.slash("campaign", options={"name": "lamp"}))
    assert "Backstage" not in str(listed.embeds)
    assert "Backstage" not in str(labels(listed))

    # The creator finds the command to share on the campaign's dashboard.
    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Lamp"))
    fields = {field["name"]: field["value"] for field in embed(board)["fields"]}
    assert fields["Secret reward: Backstage pass"] == f"/campaign name:lamp code:{code}"

    card = await reply(await bob.slash("campaign", options={"name": "lamp", "code": code}))
    assert card.visible_to == bob.user.id
    assert "Meet the makers" in str(card.embeds)
    assert labels(card)[:2] == ["Lamp · €75.00", SECRET]
    offer = await reply(await press(bob, card, SECRET))
    assert offer.visible_to == bob.user.id
    url = button(offer, f"Pledge: {SECRET}")["url"]
    assert urlsplit(url).netloc == urlsplit(backit.url).netloc
    thanks = await backit.back(browser, url)
    assert thanks.status == 200
    (pledge,) = await backit.pledges(lamp.id)
    assert (pledge.status, pledge.tier_id, pledge.amount.amount) == (
        PledgeStatus.PAID,
        lamp.tiers[1].id,
        20_000,
    )


async def test_a_wrong_code_or_another_campaigns_code_is_not_valid(
    discord_bot: RunningBot, backit: RunningBackit
) -> None:
    guild = discord_bot.server()
    bob = discord_bot.member(guild, "bob")
    lea = discord_bot.member(guild, "lea", locale="fr")
    desk = await backit.campaign("desk", tiers=TIERS)
    await backit.campaign("lamp", tiers=TIERS)
    others = desk.tiers[1].secret_code
    assert others is not None
    for code in ("Zz9yY8xX7w", "no", others):
        refused = await reply(await bob.slash("campaign", options={"name": "lamp", "code": code}))
        assert (refused.visible_to, refused.content) == (bob.user.id, INVALID)
    french = await reply(await lea.slash("campaign", options={"name": "lamp", "code": "no"}))
    assert french.content == (
        "Ce lien de récompense n’est pas valide. Demandez-en un nouveau au créateur qui l’a "
        "partagé."
    )
