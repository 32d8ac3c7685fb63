"""Creator tools: /mycampaigns and its dashboards, /ambassadors in full for the creator, and a
member's own share link for anyone else."""

from __future__ import annotations

import csv
import io

import aiohttp
import pytest

from adapters.standins.discord import Member, Message
from core.campaigns import Campaign
from core.identity import Caller
from core.money import Money
from core.payments import OutcomeKind, PaymentOutcome
from core.ports import Clock
from core.usecases.backers import remember
from core.usecases.payments import apply_payment_outcome
from core.usecases.pledging import PledgeLimits, PledgeRequest, start_pledge
from core.views.intents import ExportBackers
from tests.adapters.chat_campaigns import past_updates
from tests.adapters.discord.campaigns import live_campaign
from tests.adapters.discord.people import RunningBot, embed, identity, labels, press, reply


def caller(member: Member) -> Caller:
    """A member as core sees them."""
    return Caller(identity(member), member.user.name, "en")


async def referred(
    bot: RunningBot, clock: Clock, campaign: Campaign, member: Member, ambassador: Member
) -> None:
    """The member backs the campaign through the ambassador's share link, and pays."""
    code = (await remember(bot.services.uows, caller(ambassador))).referral_code
    request = PledgeRequest(caller(member), campaign.id, None, Money(2_500, "EUR"), code)
    pledge = await start_pledge(bot.services.uows(), clock, PledgeLimits(), request)
    await apply_payment_outcome(
        bot.services.uows(), clock, PaymentOutcome(pledge.id, OutcomeKind.PAID)
    )


async def test_a_creator_lists_their_campaigns_and_opens_one_as_a_dashboard(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    uows = discord_bot.services.uows
    lamp = await live_campaign(uows, clock, creators=(identity(ada),))
    await past_updates(uows, clock, lamp, ["One", "Two", "Three", "Four"], backers_only={3})

    mine = await reply(await ada.slash("mycampaigns"))
    none = await reply(await bob.slash("mycampaigns"))

    assert mine.visible_to == ada.user.id
    assert embed(mine)["title"] == "Your campaigns"
    assert embed(mine)["description"] == (
        "**1. The Reading Lamp**\n0% · €0.00 of €1,000.00 · 0 backers · 20 days left\n"
        "Raised: €0.00 · Backit's fee: €0.00 · Refunds: €0.00 · Disputed: €0.00 · "
        "You receive: €0.00"
    )
    assert labels(mine) == ["1. The Reading Lamp"]
    assert embed(none)["description"] == (
        "You have not created a campaign yet. /newcampaign to start one."
    )

    board = await reply(await press(ada, mine, "1. The Reading Lamp"))
    shown = embed(board)
    assert board.visible_to == ada.user.id
    assert shown["title"] == "The Reading Lamp"
    # The three newest, the backers-only one among them: the creator sees everything.
    assert "Latest updates:\n• " in shown["description"]
    assert ["Four" in shown["description"], "One" in shown["description"]] == [True, False]
    assert shown["description"].count("• ") == 3
    assert labels(board) == [
        "Post an update",
        "Ambassadors",
        "All updates",
        "Progress",
        "Export backers",
    ]

    archive = await reply(await press(ada, board, "All updates"))
    assert archive.id != board.id
    assert embed(archive)["title"] == "Updates from “The Reading Lamp”"


async def test_ambassadors_shows_the_creator_every_link_and_others_their_own(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob, cy, dee = (discord_bot.member(guild, name) for name in ("ada", "bob", "cy", "dee"))
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await referred(discord_bot, clock, lamp, cy, bob)

    full = await reply(await ada.slash("ambassadors", options={"name": "lamp"}))
    own = await reply(await bob.slash("ambassadors", options={"name": "lamp"}))
    nothing = await reply(await dee.slash("ambassadors", options={"name": "lamp"}))

    assert full.visible_to == ada.user.id
    assert embed(full)["title"] == "Ambassadors of “The Reading Lamp”"
    assert embed(full)["description"] == "**1. bob**\n1 backer · €25.00"
    # Anyone else gets their own share link and what it brought, not the leaderboard.
    bob_code = (await discord_bot.backer(bob)).referral_code
    assert embed(own)["title"] == "Your share link for “The Reading Lamp”"
    assert embed(own)["description"] == (
        "Share your link: whoever backs through it counts as brought by you.\n"
        f"{discord_bot.services.public_url}/c/lamp?ref={bob_code}\n\n"
        "You have brought 1 backer so far. Thank you for spreading the word!"
    )
    assert embed(nothing)["description"].endswith("Nobody has backed through your link yet.")

    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Reading Lamp"))
    from_board = await reply(await press(ada, board, "Ambassadors"))
    # Bob's name as Discord shows it, learnt when he asked for his own link.
    assert embed(from_board)["description"] == "**1. Bob**\n1 backer · €25.00"


async def _download(message: Message) -> tuple[str, bytes]:
    [attachment] = message.payload["attachments"]
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as response:
        return attachment["filename"], await response.read()


@pytest.mark.parametrize(
    ("locale", "label", "caption"),
    [
        ("en-US", "Export backers", "1 backer of “The Reading Lamp”, as of "),
        (
            "fr",
            "Exporter les contributeurs",
            "1 contributeur de «\u00a0The Reading Lamp\u00a0», au ",
        ),
    ],
)
async def test_a_creator_exports_the_backers_as_a_file_only_they_see(
    discord_bot: RunningBot, clock: Clock, locale: str, label: str, caption: str
) -> None:
    guild = discord_bot.server()
    ada = discord_bot.member(guild, "ada", locale=locale)
    bob, cy = discord_bot.member(guild, "bob"), discord_bot.member(guild, "cy")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await referred(discord_bot, clock, lamp, cy, bob)
    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, labels(mine)[0]))

    sent = await reply(await press(ada, board, label))
    name, data = await _download(sent)

    assert sent.ephemeral
    assert sent.visible_to == ada.user.id
    assert sent.content.startswith(caption)
    assert name == "lamp-backers.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["backer_number", "name", "platform"]
    assert rows[1][1:6] == ["cy", "discord", "", "25.00", "EUR"]
    assert discord_bot.standin.channel_messages(guild.channel("general")) == []


async def test_anyone_but_the_creator_pressing_export_is_refused(
    discord_bot: RunningBot, discord_http: aiohttp.ClientSession, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob, cy = (discord_bot.member(guild, name) for name in ("ada", "bob", "cy"))
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await referred(discord_bot, clock, lamp, cy, bob)
    general = guild.channel("general")
    # A button naming the export, posted where Bob can press it.
    export = ExportBackers(lamp.id).encode()
    button = {"type": 2, "style": 2, "label": "Export backers", "custom_id": export}
    forged = {"content": "Forged", "components": [{"type": 1, "components": [button]}]}
    async with discord_http.post(f"channels/{general.id}/messages", json=forged) as response:
        assert response.status == 200
    [posted] = discord_bot.standin.channel_messages(general)

    refused = await reply(await press(bob, posted, "Export backers"))

    assert refused.visible_to == bob.user.id
    assert refused.content == "Only the campaign's creator or an operator can do that."
    assert refused.payload["attachments"] == []
