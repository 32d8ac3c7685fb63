"""Notices on Discord: split within the limits, sent by DM or to a channel, failures mapped."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.chat_text import split
from adapters.discord.limits import EMBED_DESCRIPTION, EMBED_TOTAL, inert, length
from adapters.discord.notices import DiscordSender, discord_sender, notice_messages
from adapters.standins.discord import Channel, DiscordStandin, Guild, Message, Overwrite, User
from adapters.standins.discord.permissions import SEND_MESSAGES
from core.delivery import DeliveryFailed, RecipientGone, TryAgainLater
from core.identity import Platform
from core.outbox import Recipient, RecipientKind
from core.rate_limits import Rate, SendLimits
from core.views.intents import Show
from core.views.model import Button, Notice
from tests.discord_fixtures import TOKEN

# Discord's own limits, as config.toml ships them.
LIMITS = SendLimits(overall=Rate(50, 1), private_chat=Rate(5, 5), group=Rate(5, 5))
LINK = Button("See the campaign", url="https://backit.test/c/reading-lamp")
SENDS = "/channels/{channel_id}/messages"
OPEN_DM = "/users/@me/channels"
SENTENCE = "The lamps ship on Monday, and the stands follow a week later. "


def split_text(text: str, limit: int) -> list[str]:
    """The text split as Discord's notices split it: measured once made inert."""
    return split(text, limit, lambda piece: length(inert(piece)))


def update_text(size: int = 10_000) -> str:
    """A creator update of `size` characters in paragraphs, with nothing to escape."""
    paragraph = (SENTENCE * 7).strip()
    text = "\n\n".join([paragraph] * (size // len(paragraph) + 1))[:size]
    assert inert(text) == text
    return text


def to_person(user: User) -> Recipient:
    """A person, reached by DM."""
    return Recipient(Platform.DISCORD, RecipientKind.USER, str(user.id), "en-US")


def to_channel(channel: Channel) -> Recipient:
    """A community's channel."""
    return Recipient(Platform.DISCORD, RecipientKind.CHANNEL, str(channel.id), "en-US")


def descriptions(messages: list[Message]) -> list[str]:
    """Each message's one embed's description."""
    assert all(len(message.embeds) == 1 for message in messages)
    return [message.embeds[0].get("description", "") for message in messages]


def rendered(notice: Notice) -> list[str]:
    """The descriptions the renderer gives a notice's parts."""
    return [m.embed.description or "" for m in notice_messages(notice) if m.embed is not None]


def link_labels(view: discord.ui.View | None) -> list[tuple[str | None, str | None]]:
    """The label and URL of each link button of a view."""
    assert view is not None
    return [(b.label, b.url) for b in view.children if isinstance(b, discord.ui.Button)]


def statuses(standin: DiscordStandin, route: str) -> list[int]:
    """How the stand-in answered each request on one route, in order."""
    return [send.status for send in standin.rate_limits.sends if send.route == route]


@pytest.fixture
async def sender(discord_standin: DiscordStandin) -> AsyncIterator[DiscordSender]:
    """A sender logged in on the stand-in, within Discord's limits."""
    async with discord_sender(TOKEN, LIMITS) as sender:
        yield sender


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A community's server with #general and #news."""
    return discord_standin.guild("Makers", channels=["general", "news"])


# The renderer and its splitter.


def test_a_short_notice_is_one_embed_with_its_title_and_its_link_buttons() -> None:
    (message,) = notice_messages(Notice("Funded!", "Thank you all.", ((LINK,),)))

    assert message.embed is not None
    assert (message.embed.title, message.embed.description) == ("Funded!", "Thank you all.")
    assert link_labels(message.view) == [(LINK.label, LINK.url)]


def test_back_it_is_a_button_the_bot_answers_with_the_campaigns_card() -> None:
    back = Button("Back it", Show(7))

    (message,) = notice_messages(Notice("Funded!", "Thank you all.", ((back,), (LINK,)), "lamp"))

    assert message.view is not None
    pressed = message.view.children[0]
    assert isinstance(pressed, discord.ui.Button)
    assert (pressed.label, pressed.custom_id, pressed.url) == ("Back it", "s:7", None)
    assert link_labels(message.view)[1] == (LINK.label, LINK.url)


def test_a_long_notice_carries_its_title_first_and_its_buttons_last() -> None:
    long_label = Button("Read it all " * 10, url="https://backit.test/u/1")
    messages = notice_messages(Notice("T" * 300, update_text(), ((LINK, long_label),)))

    embeds = [message.embed for message in messages if message.embed is not None]
    assert len(embeds) == len(messages) == 3
    assert [embed.title for embed in embeds] == ["T" * 255 + "…", None, None]
    assert all(length(embed.description or "") <= EMBED_DESCRIPTION for embed in embeds)
    assert all(length(e.title or "") + length(e.description or "") <= EMBED_TOTAL for e in embeds)
    assert [message.view is not None for message in messages] == [False, False, True]
    assert [length(label or "") for label, _ in link_labels(messages[-1].view)] == [16, 80]


def test_a_notice_without_text_is_its_title_alone() -> None:
    (message,) = notice_messages(Notice("Funded!", ""))

    assert message.embed is not None
    assert (message.embed.title, message.embed.description) == ("Funded!", None)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("a" * 25 + "\n\n" + "b" * 5 + "\n" + "c c" + "d" * 20, "a" * 25 + "\n\n"),
        ("a" * 25 + "\n" + "b" * 5 + " " + "c" * 30, "a" * 25 + "\n"),
        ("a" * 25 + " " + "b" * 40, "a" * 25 + " "),
        # A break in the first half would waste most of a message: cut hard instead.
        ("a\n\n" + "b" * 60, "a\n\n" + "b" * 37),
    ],
)
def test_long_text_breaks_between_paragraphs_then_lines_then_words(text: str, first: str) -> None:
    pieces = split_text(text, 40)

    assert pieces[0] == first
    assert "".join(pieces) == text


def test_emoji_and_accents_are_never_cut_in_half() -> None:
    family, flag, accented = "👨‍👩‍👧‍👦", "🇫🇷", "e\u0301"
    # Each limit falls inside a character: the cut must step back to where one ends.
    for unit, limit in ((family, 4096), (flag, 4095), (accented, 101)):
        text = unit * 1500
        pieces = split_text(text, limit)

        assert "".join(pieces) == text
        assert len(pieces) > 1
        assert all(piece.startswith(unit) and piece.endswith(unit) for piece in pieces), unit
        assert all(length(piece) <= limit for piece in pieces)


def test_markdown_heavy_text_is_split_to_fit_once_escaped_and_wastes_little_room() -> None:
    text = "**Bold** _soft_ ~~gone~~ `code` > |spoiler| @everyone\n" * 300
    pieces = split_text(text, EMBED_DESCRIPTION)
    shown = [inert(piece) for piece in pieces]

    assert "".join(pieces) == text
    assert all(length(piece) <= EMBED_DESCRIPTION for piece in shown)
    # Escapes nearly double this text, yet every full message is nearly full.
    assert all(length(piece) > EMBED_DESCRIPTION - 100 for piece in shown[:-1])


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(st.sampled_from("ab *_~`|>#-@\\\n😀\u200d\u0301🇫"), max_size=400),
    limit=st.integers(2, 120),
)
def test_split_text_loses_nothing_and_every_piece_fits(text: str, limit: int) -> None:
    pieces = split_text(text, limit)

    assert "".join(pieces) == text
    assert all(piece and length(inert(piece)) <= limit for piece in pieces)


# Delivery through discord.py, over HTTP, to the stand-in.


async def test_a_short_notice_reaches_a_person_as_one_dm_that_shows_its_text_literally(
    discord_standin: DiscordStandin, sender: DiscordSender
) -> None:
    alice = discord_standin.user("alice")
    notice = Notice("@everyone **Funded**", "Thanks, @here: *all* of you.", ((LINK,),))

    await sender.send(to_person(alice), notice)

    (message,) = discord_standin.channel_messages(discord_standin.dm_channel(alice))
    assert message.embeds[0]["title"] == "@\u200beveryone \\*\\*Funded\\*\\*"
    assert message.embeds[0]["description"] == "Thanks, @\u200bhere: \\*all\\* of you."
    assert message.allowed_mentions == {"parse": []}
    assert message.pings.nobody
    assert [(b["label"], b["url"]) for b in message.interactive()] == [(LINK.label, LINK.url)]


async def test_a_notice_to_a_community_is_posted_in_its_channel(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    await sender.send(to_channel(guild.channel("news")), Notice("50 % funded", "Halfway there."))

    (message,) = discord_standin.channel_messages(guild.channel("news"))
    assert message.embeds[0]["title"] == "50 % funded"
    assert message.allowed_mentions == {"parse": []}
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_a_milestone_leads_with_its_picture_from_the_web_server(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    url = "https://backit.test/c/lamp/card.png?lang=en&v=1a2b&m=50"
    notice = Notice("The Reading Lamp reached 50%", update_text(), picture_url=url)

    await sender.send(to_channel(guild.channel("news")), notice)

    messages = discord_standin.channel_messages(guild.channel("news"))
    assert [m.embeds[0].get("image", {}).get("url") for m in messages] == [url, None, None]


async def test_a_10000_character_update_arrives_whole_over_three_messages(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    text = update_text()

    await sender.send(to_channel(guild.channel("news")), Notice("Shipping", text, ((LINK,),)))

    messages = discord_standin.channel_messages(guild.channel("news"))
    assert len(messages) == 3
    assert "".join(descriptions(messages)) == text
    assert all(length(part) <= EMBED_DESCRIPTION for part in descriptions(messages))
    assert [m.embeds[0].get("title") for m in messages] == ["Shipping", None, None]
    assert [bool(m.components) for m in messages] == [False, False, True]


async def test_skipping_parts_sends_only_the_rest(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    notice = Notice("Shipping", update_text(), ((LINK,),))
    whole = rendered(notice)

    await sender.send(to_channel(guild.channel("news")), notice, skip_parts=2)
    await sender.send(to_channel(guild.channel("general")), notice, skip_parts=3)

    (last,) = discord_standin.channel_messages(guild.channel("news"))
    assert descriptions([last]) == whole[2:]
    assert last.components
    assert discord_standin.channel_messages(guild.channel("general")) == []


async def test_repeated_dms_to_one_person_open_the_dm_channel_once(
    discord_standin: DiscordStandin, sender: DiscordSender
) -> None:
    alice = discord_standin.user("alice")

    for number in range(3):
        await sender.send(to_person(alice), Notice(f"Update {number}", "News."))

    assert len(discord_standin.channel_messages(discord_standin.dm_channel(alice))) == 3
    assert statuses(discord_standin, OPEN_DM) == [200]


async def test_a_person_whose_dms_are_closed_is_gone(
    discord_standin: DiscordStandin, sender: DiscordSender
) -> None:
    closed = discord_standin.user("bob", accepts_dms=False)

    with pytest.raises(RecipientGone) as gone:
        await sender.send(to_person(closed), Notice("Funded!", "Thank you."))

    assert "50007" in gone.value.reason
    assert TOKEN not in gone.value.reason
    assert gone.value.sent_parts == 0


async def test_a_deleted_channel_is_gone(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    news = guild.channel("news")
    discord_standin.delete_channel(news)

    with pytest.raises(RecipientGone) as gone:
        await sender.send(to_channel(news), Notice("Funded!", "Thank you."))

    assert "10003" in gone.value.reason


async def test_a_channel_the_bot_may_no_longer_post_in_is_gone(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    bot_role = guild.role("Backit")
    muted = discord_standin.channel(
        guild, "rules", overwrites=[Overwrite(bot_role.id, 0, deny=SEND_MESSAGES)]
    )

    with pytest.raises(RecipientGone) as gone:
        await sender.send(to_channel(muted), Notice("Funded!", "Thank you."))

    assert "50013" in gone.value.reason


async def test_a_message_discord_refuses_fails_without_dropping_the_recipient(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    too_long = Button("Open", url="https://backit.test/" + "x" * 600)

    with pytest.raises(DeliveryFailed) as failed:
        await sender.send(
            to_channel(guild.channel("news")), Notice("Funded!", "Hi.", ((too_long,),))
        )

    assert type(failed.value) is DeliveryFailed
    assert "50035" in failed.value.reason


async def test_a_429_without_discords_proxy_header_pauses_sending_and_asks_to_retry(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    news = to_channel(guild.channel("news"))
    notice = Notice("Shipping", update_text(), ((LINK,),))
    # discord.py raises such a 429 at once (no Via: not Discord's own answer).
    discord_standin.rate_limits.refuse_sends(1, retry_after=0.4, via=False)

    with pytest.raises(TryAgainLater) as refused:
        await sender.send(news, notice, skip_parts=1)
    started = time.monotonic()
    await sender.send(news, notice, skip_parts=refused.value.sent_parts)

    # Retry-After is in whole seconds, rounded up: the sender waits at least that long.
    assert (refused.value.retry_after, refused.value.sent_parts) == (1.0, 1)
    assert time.monotonic() - started >= 0.95
    assert statuses(discord_standin, SENDS) == [429, 200, 200]
    messages = discord_standin.channel_messages(guild.channel("news"))
    assert descriptions(messages) == rendered(notice)[1:]


async def test_a_short_429_from_discord_is_waited_out_by_discord_py_and_delivered_once(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    discord_standin.rate_limits.refuse_sends(1, retry_after=0.2)

    await sender.send(to_channel(guild.channel("news")), Notice("Funded!", "Thank you."))

    assert len(discord_standin.channel_messages(guild.channel("news"))) == 1
    assert statuses(discord_standin, SENDS) == [429, 200]


async def test_a_429_longer_than_discord_py_waits_in_a_send_asks_to_retry_later(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    discord_standin.rate_limits.refuse_sends(1, retry_after=45.0)

    with pytest.raises(TryAgainLater) as refused:
        await sender.send(to_channel(guild.channel("news")), Notice("Funded!", "Thank you."))

    assert refused.value.retry_after == 45.0
    assert discord_standin.channel_messages(guild.channel("news")) == []


async def test_a_burst_of_dms_stays_within_discords_rate_limits(
    discord_standin: DiscordStandin,
) -> None:
    discord_standin.rate_limits.enable(global_per_second=50, messages_per_channel=5, per=5.0)
    people = [discord_standin.user(f"backer-{number}") for number in range(60)]
    notices = [Notice(f"Update {n}", "The lamps ship on Monday.") for n in range(2)]

    async with discord_sender(TOKEN, LIMITS) as sender, asyncio.timeout(15):
        await asyncio.gather(
            *(sender.send(to_person(user), notice) for notice in notices for user in people)
        )

    assert discord_standin.rate_limits.limited == 0
    received = [discord_standin.channel_messages(discord_standin.dm_channel(u)) for u in people]
    assert all(len(messages) == 2 for messages in received)


async def test_a_fan_out_to_many_people_does_not_pile_up_discord_py_rate_limit_buckets(
    discord_standin: DiscordStandin,
) -> None:
    people = [discord_standin.user(f"backer-{number}") for number in range(600)]
    quick = SendLimits(overall=Rate(10_000, 1), private_chat=Rate(5, 5), group=Rate(5, 5))

    async with discord_sender(TOKEN, quick) as sender:
        await asyncio.gather(*(sender.send(to_person(u), Notice("Funded!", "")) for u in people))
        # discord.py would keep one per DM channel; idle ones are swept as they double.
        buckets = len(sender._http._buckets)

    assert buckets < 512
    received = [discord_standin.channel_messages(discord_standin.dm_channel(u)) for u in people]
    assert all(len(messages) == 1 for messages in received)


async def test_a_report_is_posted_to_the_person_alone_then_edited_in_place(
    discord_standin: DiscordStandin, sender: DiscordSender, guild: Guild
) -> None:
    ada = discord_standin.user("ada")

    message_id = await sender.post_report(str(ada.id), "Sending to @everyone: 0 of 120")
    await sender.edit_report(str(ada.id), message_id, "Sent **120** of 120")

    assert discord_standin.channel_messages(guild.channel("news")) == []
    (report,) = discord_standin.channel_messages(discord_standin.dm_channel(ada))
    assert str(report.id) == message_id
    assert report.content == "Sent \\*\\*120\\*\\* of 120"
    assert report.payload["edited_timestamp"] is not None
    assert report.allowed_mentions == {"parse": []}
