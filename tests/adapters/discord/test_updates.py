"""/update: the creator writes in a form, sees a preview, picks the audience, and core sends it."""

from __future__ import annotations

from datetime import timedelta

from adapters.discord.notices import discord_sender
from adapters.standins.discord import Member, Message
from core.campaigns import Campaign
from core.identity import Caller, Platform
from core.ports import Clock
from core.rate_limits import Rate, SendLimits
from core.usecases.reporting import DeliveryReports
from tests.adapters.discord.campaigns import live_campaign, paid_pledge
from tests.adapters.discord.people import (
    RunningBot,
    embed,
    form_fields,
    identity,
    labels,
    press,
    reply,
)
from tests.discord_fixtures import TOKEN

LIMITS = SendLimits(overall=Rate(50, 1), private_chat=Rate(5, 5), group=Rate(5, 5))


async def updates_queued(bot: RunningBot) -> list[str]:
    """The text of each update message waiting in the outbox."""
    async with bot.services.uows() as uow:
        pending = await uow.outbox.pending()
    return [m.notification.data["text"] for m in pending if m.notification.type == "update"]


async def backed_by(bot: RunningBot, clock: Clock, lamp: Campaign, member: Member) -> None:
    """The member has paid a pledge to the campaign."""
    caller = Caller(identity(member), member.user.name, "en")
    await paid_pledge(bot.services.uows, clock, lamp, caller, 2_500)


async def test_the_creator_writes_previews_and_sends_an_update_to_the_backers(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await backed_by(discord_bot, clock, lamp, bob)

    opened = await ada.slash("update", options={"name": "lamp"})
    fields = await form_fields(opened)
    assert opened.modal is not None
    assert opened.modal["title"] == "Update for “The Reading Lamp”"
    assert [(f["label"], f["max_length"], f["required"]) for f in fields] == [
        ("Update", 4000, True),
        ("Continued (optional)", 4000, False),
        ("Continued (optional)", 1996, False),
    ]
    preview = await reply(
        await ada.submit_modal(opened, {fields[0]["custom_id"]: "We ship **Monday**."})
    )
    assert preview.visible_to == ada.user.id
    assert embed(preview)["title"] == "Preview of your update to “The Reading Lamp”:"
    assert embed(preview)["description"] == "We ship \\*\\*Monday\\*\\*."
    assert preview.content == ""
    assert labels(preview) == [
        "Send to everyone following (1 recipient)",
        "Send to backers only (1 recipient)",
        "Cancel",
    ]

    sent = await reply(await press(ada, preview, "Send to backers only (1 recipient)"))

    assert sent.id == preview.id
    assert sent.content == "Your update is on its way to 1 recipient."
    assert (sent.embeds, sent.components) == ([], [])
    assert await updates_queued(discord_bot) == ["We ship **Monday**."]


async def test_a_long_update_runs_on_in_the_next_fields_and_is_sent_whole(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await backed_by(discord_bot, clock, lamp, bob)
    opened = await ada.slash("update", options={"name": "lamp"})
    first, second, third = (field["custom_id"] for field in await form_fields(opened))

    values = {first: "a" * 4000, second: "b" * 4000, third: "c" * 1996}
    preview = await reply(await ada.submit_modal(opened, values))
    # The preview is cut to fit an embed; the update itself is sent whole.
    shown = embed(preview)["description"]
    assert (len(shown), shown[-2:]) == (4096, "b…")
    await reply(await press(ada, preview, "Send to everyone following (1 recipient)"))

    assert await updates_queued(discord_bot) == [
        "a" * 4000 + "\n\n" + "b" * 4000 + "\n\n" + "c" * 1996
    ]


async def test_only_the_creator_may_write_an_update(discord_bot: RunningBot, clock: Clock) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    refused = await reply(await bob.slash("update", options={"name": "lamp"}))

    assert refused.visible_to == bob.user.id
    assert refused.content == "Only the campaign's creator or an operator can do that."


async def test_a_draft_is_dropped_on_cancel_and_gone_after_a_restart(
    discord_bot: RunningBot, clock: Clock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))

    async def preview() -> Message:
        opened = await ada.slash("update", options={"name": "lamp"})
        first = (await form_fields(opened))[0]["custom_id"]
        return await reply(await ada.submit_modal(opened, {first: "News."}))

    dropped = await reply(await press(ada, await preview(), "Cancel"))
    assert dropped.content == "Update discarded."
    kept = await preview()
    await discord_bot.restart()
    expired = await reply(await press(ada, kept, "Send to everyone following (0 recipients)"))

    assert expired.visible_to == ada.user.id
    assert expired.content == "This draft has expired: please write the update again."
    assert await updates_queued(discord_bot) == []


async def test_an_update_nobody_would_receive_is_flagged_before_it_is_sent(
    discord_bot: RunningBot, clock: Clock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    opened = await ada.slash("update", options={"name": "lamp"})
    first = (await form_fields(opened))[0]["custom_id"]

    preview = await reply(await ada.submit_modal(opened, {first: "Anyone there?"}))
    assert preview.content == (
        "⚠️ Nobody follows or has backed this campaign yet: this update would reach no one for "
        "now. It stays in the campaign's updates for those who come later."
    )
    sent = await reply(await press(ada, preview, "Send to backers only (0 recipients)"))
    assert sent.content == (
        "Your update is posted. Nobody receives it for now: it is in the campaign's updates."
    )


async def test_a_dashboards_post_button_opens_the_form_for_its_campaign(
    discord_bot: RunningBot, clock: Clock
) -> None:
    ada = discord_bot.member(discord_bot.server(), "ada")
    await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    mine = await reply(await ada.slash("mycampaigns"))
    board = await reply(await press(ada, mine, "1. The Reading Lamp"))

    opened = await press(ada, board, "Post an update")
    assert next(f["label"] for f in await form_fields(opened)) == "Update"
    assert opened.modal is not None
    assert opened.modal["title"] == "Update for “The Reading Lamp”"
    assert board.visible_to == ada.user.id


async def test_the_delivery_report_goes_to_the_creator_alone_not_the_channel(
    discord_bot: RunningBot, clock: Clock
) -> None:
    guild = discord_bot.server()
    ada, bob = discord_bot.member(guild, "ada"), discord_bot.member(guild, "bob")
    lamp = await live_campaign(discord_bot.services.uows, clock, creators=(identity(ada),))
    await backed_by(discord_bot, clock, lamp, bob)
    opened = await ada.slash("update", options={"name": "The Reading Lamp"})
    fields = await form_fields(opened)
    preview = await reply(await ada.submit_modal(opened, {fields[0]["custom_id"]: "Kiln on!"}))
    await reply(await press(ada, preview, "Send to everyone following (1 recipient)"))
    channel_before = len(discord_bot.standin.channel_messages(ada.channel))

    uows = discord_bot.services.uows
    async with discord_sender(TOKEN, LIMITS) as sender:
        reports = DeliveryReports(uows, clock, {Platform.DISCORD: sender}, timedelta(seconds=5))
        await reports.report_due()

    (report,) = discord_bot.standin.channel_messages(discord_bot.standin.dm_channel(ada.user))
    assert report.content == "Delivering your update: 0 of 1"
    assert len(discord_bot.standin.channel_messages(ada.channel)) == channel_before
