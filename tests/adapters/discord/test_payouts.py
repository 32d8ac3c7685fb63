"""/payouts on Discord: a member's payout account opened, onboarded and shown to them alone;
and Backit's fee above a draft's preview, where creators are paid into their own accounts."""

from __future__ import annotations

import pytest

from adapters.chat_services import Payouts
from adapters.standins.discord import Member, Message
from core.ports import Clock
from tests.adapters.chat_payouts import connect_payouts, provider
from tests.adapters.discord.people import RunningBot, button, form_fields, labels, press, reply

HEADING = "This is how your campaign will look:"


@pytest.fixture
def payouts(clock: Clock) -> Payouts | None:
    """Creators are paid into their own accounts at the fake provider."""
    return connect_payouts(clock)


async def _stored(discord_bot: RunningBot) -> list[tuple[str, str]]:
    async with discord_bot.services.uows() as uow:
        return [(a.account_id, a.state.country) for a in await uow.payout_accounts.list_all()]


async def test_payouts_leads_to_onboarding_then_to_the_dashboard_for_the_member_alone(
    discord_bot: RunningBot,
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    first = await reply(await ada.slash("payouts", options={"country": "de"}))

    assert first.visible_to == ada.user.id
    assert first.content.startswith(
        "Backit pays what your campaigns raise, less its fee, into your own Stripe account."
    )
    assert first.content.endswith(
        "Payouts to your bank: not yet.\nStripe still needs 1 detail from you."
    )
    assert labels(first) == ["Set up payouts"]
    assert button(first, "Set up payouts")["url"] == "https://connect.test/setup/acct_1/1"
    assert await _stored(discord_bot) == [("acct_1", "DE")]

    provider(discord_bot.services.payouts).onboard("acct_1")
    again = await reply(await ada.slash("payouts"))

    assert again.visible_to == ada.user.id
    assert again.content.startswith("Your payout account\n\nPayments: on, your campaigns can be")
    assert button(again, "Open your Stripe dashboard")["url"] == (
        "https://connect.test/express/acct_1"
    )
    assert await _stored(discord_bot) == [("acct_1", "DE")]


async def test_a_country_without_accounts_is_refused_in_french_and_nothing_is_opened(
    discord_bot: RunningBot,
) -> None:
    lea = discord_bot.member(discord_bot.server(), "lea", locale="fr")

    refused = await reply(await lea.slash("versements", options={"country": "Narnia"}))

    assert refused.visible_to == lea.user.id
    assert refused.content == (
        "Impossible d’ouvrir un compte de versement en Narnia. Donnez un code pays à deux lettres "
        "comme FR, DE, GB ou US."
    )
    assert provider(discord_bot.services.payouts).accounts == {}
    assert await _stored(discord_bot) == []


async def test_payouts_is_named_and_described_in_french(discord_bot: RunningBot) -> None:
    synced = {command.name: command.payload for command in discord_bot.standin.commands()}

    payouts = synced["payouts"]
    assert payouts["name_localizations"] == {"fr": "versements"}
    assert payouts["description_localizations"] == {
        "fr": "Votre compte de versement, en tant que créateur"
    }
    (country,) = payouts["options"]
    assert (country["name"], country.get("required", False)) == ("country", False)
    assert country["name_localizations"] == {"fr": "pays"}


@pytest.mark.parametrize("payouts", [None])
async def test_without_payout_accounts_payouts_says_the_team_pays_creators(
    discord_bot: RunningBot,
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    answer = await reply(await ada.slash("payouts"))

    assert answer.visible_to == ada.user.id
    assert answer.content == (
        "Here, creators are paid by the team running Backit, not into a payout account of their "
        "own: ask that team how and when you are paid."
    )
    assert labels(answer) == []


async def _preview(ada: Member, *reward: str) -> Message:
    """Ada drafts a campaign in euros, with the reward given if any, up to its preview."""
    opened = await ada.slash("newcampaign")
    fields = await form_fields(opened)
    answers = ("The Reading Lamp", "A warm lamp for long nights.", "", "5000 EUR", "30")
    values = {field["custom_id"]: text for field, text in zip(fields, answers, strict=True)}
    categories = await reply(await ada.submit_modal(opened, values))
    funding = await reply(await press(ada, categories, "Design"))
    rewards = await reply(await press(ada, funding, "Flexible"))
    if reward:
        opened = await press(ada, rewards, "Add a reward")
        fields = await form_fields(opened)
        values = {field["custom_id"]: text for field, text in zip(fields, reward, strict=True)}
        shipping = await reply(await ada.submit_modal(opened, values))
        limit = await reply(await press(ada, shipping, "Digital"))
        rewards = await reply(await press(ada, limit, "Open to all"))
    return await reply(await press(ada, rewards, "Preview"))


async def test_the_draft_preview_tells_the_creator_backits_fee(discord_bot: RunningBot) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    preview = await _preview(ada, "Lamp", "40", "", "", "2027-03")

    assert preview.visible_to == ada.user.id
    assert preview.content == (
        "Backit keeps 5% + €0.30 of each pledge: of a €40.00 pledge, you receive €37.70.\n\n"
        f"{HEADING}"
    )
    assert labels(preview) == ["Create draft", "Cancel"]


@pytest.mark.parametrize("payouts", [None])
async def test_without_payout_accounts_the_preview_names_no_fee(discord_bot: RunningBot) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")

    preview = await _preview(ada)

    assert preview.content == HEADING
