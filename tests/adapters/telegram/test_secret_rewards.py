"""Secret rewards end to end: listed on no card, shown by their t.me link, paid on Stripe's page.

The bot runs beside Backit's web server and the Stripe stand-in (tests/payment_fixtures.py), on
the `database` fixture, so this runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import aiohttp
import pytest

from adapters.stripe.gateway import StripeGateway
from adapters.telegram.deep_links import RevealReward
from core.pledges import PledgeStatus
from core.ports import Clock, PaymentGateway
from core.usecases.managing import TierDraft
from tests.adapters.telegram.people import RunningBot, button, labels, start_command, start_payload
from tests.payment_fixtures import CREATOR, RunningBackit
from tests.stripe_standin_fixtures import MovableClock
from tests.telegram_fixtures import BOT

TIERS = (
    TierDraft("Lamp", "One lamp", 7_500),
    TierDraft("Backstage pass", "Meet the makers", 20_000, quantity_limit=5, secret=True),
)
SECRET = "Backstage pass · €200.00 · 5 left"


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


async def test_a_secret_reward_is_not_listed_but_pledged_for_through_its_link(
    telegram_bot: RunningBot, backit: RunningBackit, browser: aiohttp.ClientSession
) -> None:
    lamp = await backit.campaign("lamp", tiers=TIERS)
    ada = telegram_bot.person(int(CREATOR.user_id), "Ada")
    bob = telegram_bot.person(42, "Bob")
    group = telegram_bot.standin.group(-100, "Makers", members=[bob.user])

    listed = await bob.says("/campaign lamp")
    assert "Backstage" not in str(listed)
    assert "Backstage" not in str(await bob.says("/campaign lamp", group))

    # The creator finds the link to share on the campaign's dashboard.
    mine = await ada.says("/mycampaigns")
    await ada.presses(mine, "1. The Lamp")
    board = await ada.reads()
    code = lamp.tiers[1].secret_code
    assert code is not None
    link = f"https://t.me/{BOT.username}?start=s_{code}"
    assert f"Secret reward: Backstage pass: {link}" in board["text"]
    assert start_payload(link, BOT.username) == RevealReward(code)

    # Opened in private only: typed in a group, it shows the group no secret.
    assert "Backstage" not in str(await bob.says(start_command(link), group))
    card = await bob.says(start_command(link))
    assert "Backstage pass · €200.00\nMeet the makers" in card["caption"]
    assert labels(card)[:2] == ["Lamp · €75.00", SECRET]
    thanks = await backit.back(browser, button(card, SECRET)["url"])
    assert thanks.status == 200
    (pledge,) = await backit.pledges(lamp.id)
    assert (pledge.status, pledge.tier_id, pledge.amount.amount) == (
        PledgeStatus.PAID,
        lamp.tiers[1].id,
        20_000,
    )
    assert (await backit.reload(lamp.id)).tiers[1].claimed == 1


@pytest.mark.parametrize("payload", ["s_Zz9yY8xX7w", "s_short", "s_"])
async def test_a_wrong_secret_link_says_it_is_not_valid_in_english_and_french(
    telegram_bot: RunningBot, backit: RunningBackit, payload: str
) -> None:
    await backit.campaign("lamp", tiers=TIERS)
    bob = telegram_bot.person(42, "Bob")
    amelie = telegram_bot.person(43, "Amélie", language_code="fr")
    said = await bob.says(f"/start {payload}")
    said_fr = await amelie.says(f"/start {payload}")
    assert said["text"] == (
        "This reward link is not valid. Ask the creator who shared it for a new one."
    )
    assert said_fr["text"] == (
        "Ce lien de récompense n’est pas valide. Demandez-en un nouveau au créateur qui l’a "
        "partagé."
    )
