"""/payouts end to end: a creator's payout account opened, onboarded and shown, in the private
chat only; and Backit's fee under a draft, where creators are paid into their own accounts."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.chat_services import Payouts
from core.ports import Clock
from tests.adapters.chat_payouts import PayoutPages, connect_payouts, provider
from tests.adapters.telegram.people import Person, RunningBot, button, labels, start_command

ONBOARDING = (
    "Backit pays what your campaigns raise, less its fee, into your own Stripe account. Stripe "
    "asks who you are and where to send the money: it takes a few minutes.\n\n"
    "Payments: not yet, your campaigns can't be published or backed.\n"
    "Payouts to your bank: not yet.\n"
    "Stripe still needs 1 detail from you."
)
DASHBOARD = (
    "Your payout account\n\n"
    "Payments: on, your campaigns can be backed.\n"
    "Payouts to your bank: on.\n"
    "Stripe needs nothing more from you.\n\n"
    "Your Stripe dashboard shows your payouts, bank details and payout schedule."
)
PAID_BY_THE_TEAM = (
    "Here, creators are paid by the team running Backit, not into a payout account of their "
    "own: ask that team how and when you are paid."
)
FEE = "Backit keeps 5% + €0.30 of each pledge: of a €40.00 pledge, you receive €37.70."
HEADING = "This is how your campaign will look:"


@pytest.fixture
def payouts(clock: Clock) -> Payouts | None:
    """Creators are paid into their own accounts at the fake provider."""
    return connect_payouts(clock)


async def _stored(telegram_bot: RunningBot) -> list[str]:
    async with telegram_bot.services.uows() as uow:
        return [account.account_id for account in await uow.payout_accounts.list_all()]


async def test_payouts_opens_an_account_then_leads_to_onboarding_and_later_the_dashboard(
    telegram_bot: RunningBot,
) -> None:
    stripe = provider(telegram_bot.services.payouts)
    ada = telegram_bot.person(7, "Ada")

    first = await ada.says("/payouts")

    assert first["text"] == ONBOARDING
    assert labels(first) == ["Set up payouts"]
    assert button(first, "Set up payouts")["url"] == "https://connect.test/setup/acct_1/1"
    pages = PayoutPages()
    assert stripe.links == [
        (
            "acct_1",
            pages.refresh_url("acct_1", ada.identity),
            pages.return_url("acct_1", ada.identity),
        )
    ]
    # No country asked for: the platform's own.
    assert stripe.accounts["acct_1"].country == "FR"

    stripe.onboard("acct_1")
    again = await ada.says("/payouts")

    assert again["text"] == DASHBOARD
    assert labels(again) == ["Open your Stripe dashboard"]
    assert button(again, "Open your Stripe dashboard")["url"] == (
        "https://connect.test/express/acct_1"
    )
    assert await _stored(telegram_bot) == ["acct_1"]


async def test_a_country_given_opens_the_account_there(telegram_bot: RunningBot) -> None:
    ada = telegram_bot.person(7, "Ada")

    await ada.says("/payouts de")

    assert provider(telegram_bot.services.payouts).accounts["acct_1"].country == "DE"


@pytest.mark.parametrize(
    ("language", "refusal"),
    [
        (
            "en",
            "Payout accounts can't be opened in XX. Give a two-letter country code such as FR, "
            "DE, GB or US.",
        ),
        (
            "fr",
            "Impossible d’ouvrir un compte de versement en XX. Donnez un code pays à deux lettres "
            "comme FR, DE, GB ou US.",
        ),
    ],
)
async def test_a_country_without_accounts_is_refused_and_nothing_is_opened(
    telegram_bot: RunningBot, language: str, refusal: str
) -> None:
    ada = telegram_bot.person(7, "Ada", language_code=language)

    refused = await ada.says("/payouts XX")

    assert refused["text"] == refusal
    assert provider(telegram_bot.services.payouts).accounts == {}
    assert await _stored(telegram_bot) == []


async def test_a_provider_out_of_reach_is_said_politely(telegram_bot: RunningBot) -> None:
    provider(telegram_bot.services.payouts).unavailable = True
    ada = telegram_bot.person(7, "Ada")

    answer = await ada.says("/payouts")

    assert answer["text"] == (
        "Payments are unavailable right now. Please try again in a few minutes."
    )
    assert await _stored(telegram_bot) == []


async def test_payouts_speaks_french(telegram_bot: RunningBot) -> None:
    amelie = telegram_bot.person(8, "Amélie", language_code="fr")

    first = await amelie.says("/payouts")

    assert first["text"].startswith(
        "Backit verse ce que collectent vos campagnes, moins sa commission, sur votre propre "
        "compte Stripe."
    )
    assert "Paiements\u00a0: pas encore, vos campagnes ne peuvent être ni publiées" in first["text"]
    assert labels(first) == ["Configurer les versements"]


async def test_payouts_in_a_group_points_to_the_private_chat_and_opens_nothing_there(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(7, "Ada")
    group = telegram_bot.standin.group(-100, "Makers", members=[ada.user])

    pointer = await ada.says("/payouts DE", group)

    assert pointer["text"] == "I answer this in our private chat, for you alone."
    assert provider(telegram_bot.services.payouts).accounts == {}
    opened = await ada.says(start_command(button(pointer, "Open the private chat")["url"]))
    assert opened["text"] == ONBOARDING
    assert [m["text"] for m in telegram_bot.standin.messages(group)] == [
        "/payouts DE",
        pointer["text"],
    ]


@pytest.mark.parametrize("payouts", [None])
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", PAID_BY_THE_TEAM),
        (
            "fr",
            "Ici, les créateurs sont payés par l’équipe qui gère Backit, pas sur un compte de "
            "versement à leur nom\u00a0: demandez à cette équipe comment et quand vous êtes payé.",
        ),
    ],
)
async def test_without_payout_accounts_payouts_says_the_team_pays_creators(
    telegram_bot: RunningBot, language: str, said: str
) -> None:
    ada = telegram_bot.person(7, "Ada", language_code=language)

    answer = await ada.says("/payouts")

    assert answer["text"] == said
    assert labels(answer) == []


async def _presses(person: Person, message: dict[str, Any], label: str) -> dict[str, Any]:
    """Press a button of the conversation: the pressed message is closed, the next one read."""
    await person.presses(message, label)
    await person.reads()
    return await person.reads()


async def _preview(ada: Person, reward: str | None) -> dict[str, Any]:
    """Ada drafts a campaign in euros, with the reward typed if any, up to its preview."""
    await ada.says("/newcampaign")
    await ada.says("The Reading Lamp")
    story = await ada.says("A warm lamp for long nights.")
    await _presses(ada, story, "Skip")
    await ada.says("5000 EUR")
    category = await ada.says("30")
    funding = await _presses(ada, category, "Design")
    cover = await _presses(ada, funding, "Flexible")
    rewards = await _presses(ada, cover, "Skip")
    if reward is not None:
        described = await ada.says(reward)
        await _presses(ada, described, "Skip")
        shipping = await ada.says("2027-03")
        limit = await _presses(ada, shipping, "Digital")
        rewards = await _presses(ada, limit, "Open to all")
    return await _presses(ada, rewards, "No more rewards")


async def test_the_draft_preview_tells_the_creator_backits_fee_on_their_first_reward(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(7, "Ada")

    preview = await _preview(ada, "Lamp | 40")

    assert preview["text"].startswith(f"{FEE}\n\n{HEADING}\n\nThe Reading Lamp\n")
    assert labels(preview) == ["Create draft", "Cancel"]


async def test_without_rewards_the_fee_is_shown_on_a_round_pledge(
    telegram_bot: RunningBot,
) -> None:
    ada = telegram_bot.person(7, "Ada")

    preview = await _preview(ada, None)

    assert preview["text"].startswith(
        "Backit keeps 5% + €0.30 of each pledge: of a €25.00 pledge, you receive €23.45.\n\n"
        f"{HEADING}\n\n"
    )


@pytest.mark.parametrize("payouts", [None])
async def test_without_payout_accounts_the_preview_names_no_fee(telegram_bot: RunningBot) -> None:
    ada = telegram_bot.person(7, "Ada")

    preview = await _preview(ada, "Lamp | 40")

    assert preview["text"].startswith(f"{HEADING}\n\nThe Reading Lamp\n")
    assert "Backit keeps" not in preview["text"]
