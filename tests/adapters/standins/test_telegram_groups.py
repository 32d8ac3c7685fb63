"""Groups: commands matched through entities, privacy mode, and members' statuses."""

from __future__ import annotations

import pytest
from telegram import (
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    ChatMemberRestricted,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, Forbidden

from adapters.standins.telegram import BotApiStandin, BotProfile
from adapters.standins.telegram.members import MemberStatus
from tests.telegram_fixtures import TOKEN, application_builder, polling, tiny_bot


async def test_commands_reach_the_bot_through_their_bot_command_entity(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    chat = telegram_standin.private_chat(ada)

    async with polling(tiny_bot(application_builder(telegram_standin))):
        sent = await ada.send(chat, "/start c_lamp")
        welcome = await telegram_standin.next_message(chat)

    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert welcome["text"] == "Welcome c_lamp"
    assert welcome["html"] == "Welcome <b>c_lamp</b>"


async def test_in_privacy_mode_a_group_shows_the_bot_only_what_concerns_it(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada])

    async with polling(tiny_bot(application_builder(telegram_standin))):
        await ada.send(group, "just chatting")
        await ada.send(group, "/start@someone_else_bot")
        await ada.send(group, "/start@backit_test_bot")
        welcome = await telegram_standin.next_message(group)
        await ada.send(group, "replying", reply_to=welcome)
        echo = await telegram_standin.next_message(group)

    assert welcome["text"] == "Welcome"
    assert echo["text"] == "replying"
    texts = [message["text"] for message in telegram_standin.messages(group)]
    assert texts == [
        "just chatting",
        "/start@someone_else_bot",
        "/start@backit_test_bot",
        "Welcome",
        "replying",
        "replying",
    ]


async def test_in_privacy_mode_only_commands_for_the_bot_become_updates(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada])

    for text in ("hi all", "/start@someone_else_bot", "/start", "/start@Backit_Test_Bot"):
        await ada.send(group, text)

    queued = [update["message"]["text"] for update in telegram_standin.pending_updates()]
    assert queued == ["/start", "/start@Backit_Test_Bot"]


@pytest.mark.parametrize(
    ("payload", "welcome"),
    [("c_lamp-ref42", "Welcome c_lamp-ref42"), ("not valid!", "Welcome"), ("x" * 65, "Welcome")],
)
async def test_a_deep_link_from_a_group_card_opens_the_private_chat_with_its_payload(
    telegram_standin: BotApiStandin, payload: str, welcome: str
) -> None:
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers", members=[ada])
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Back it", url=f"https://t.me/Backit_Test_Bot?start={payload}")]]
    )

    async with polling(tiny_bot(application_builder(telegram_standin))) as app:
        await app.bot.send_message(group.id, "Lamp", reply_markup=keyboard)
        [card] = telegram_standin.messages(group)
        await ada.open_link(card["reply_markup"]["inline_keyboard"][0][0]["url"])
        private = telegram_standin.private_chat(ada)
        reply = await telegram_standin.next_message(private)

    assert reply["text"] == welcome


async def test_a_bot_that_reads_all_messages_sees_plain_group_chatter() -> None:
    async with BotApiStandin(BotProfile(TOKEN, can_read_all_group_messages=True)) as standin:
        ada = standin.user(42, "Ada")
        group = standin.group(-1001, "Lamp lovers", members=[ada])
        async with polling(tiny_bot(application_builder(standin))):
            await ada.send(group, "just chatting")
            echo = await standin.next_message(group)

    assert echo["text"] == "just chatting"


@pytest.mark.parametrize(
    ("status", "shape"),
    [
        ("creator", ChatMemberOwner),
        ("administrator", ChatMemberAdministrator),
        ("member", ChatMemberMember),
        ("restricted", ChatMemberRestricted),
        ("left", ChatMemberLeft),
        ("kicked", ChatMemberBanned),
    ],
)
async def test_get_chat_member_gives_each_status_its_shape(
    telegram_standin: BotApiStandin, status: MemberStatus, shape: type[ChatMember]
) -> None:
    ada = telegram_standin.user(42, "Ada")
    group = telegram_standin.group(-1001, "Lamp lovers")
    telegram_standin.set_status(group, ada, status)

    async with application_builder(telegram_standin).build() as app:
        member = await app.bot.get_chat_member(group.id, ada.id)

    assert type(member) is shape
    assert member.status == status
    assert member.user.first_name == "Ada"


async def test_only_admins_pass_the_bots_admin_check(telegram_standin: BotApiStandin) -> None:
    owner = telegram_standin.user(41, "Olga")
    admin = telegram_standin.user(42, "Ada")
    member = telegram_standin.user(43, "Grace")
    group = telegram_standin.group(
        -1001, "Lamp lovers", creator=owner, admins=[admin], members=[member]
    )

    replies = []
    async with polling(tiny_bot(application_builder(telegram_standin))):
        for user in (owner, admin, member):
            await user.send(group, "/admin")
            replies.append((await telegram_standin.next_message(group))["text"])

    assert replies == ["creator: yes", "administrator: yes", "member: no"]


async def test_get_chat_describes_the_chat_and_unknown_chats_are_not_found(
    telegram_standin: BotApiStandin,
) -> None:
    ada = telegram_standin.user(42, "Ada", username="ada")
    chat = telegram_standin.private_chat(ada)
    telegram_standin.group(-1001, "Lamp lovers", username="lamplovers")

    async with application_builder(telegram_standin).build() as app:
        private = await app.bot.get_chat(chat.id)
        group = await app.bot.get_chat("@lamplovers")
        with pytest.raises(BadRequest, match="Chat not found"):
            await app.bot.get_chat(-1002)

    assert (private.type, private.first_name, private.username) == ("private", "Ada", "ada")
    assert (group.id, group.type, group.title) == (-1001, "supergroup", "Lamp lovers")


async def test_a_bot_writes_only_where_it_may(telegram_standin: BotApiStandin) -> None:
    ada = telegram_standin.user(42, "Ada")
    telegram_standin.group(-1001, "Not ours", members=[ada], bots=[])
    telegram_standin.group(-1002, "Threw us out", members=[ada], bot_status="kicked")
    telegram_standin.channel(-1003, "Lamp news", creator=ada)

    async with application_builder(telegram_standin).build() as app:
        with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
            await app.bot.send_message(ada.id, "Hello?")
        with pytest.raises(BadRequest, match="Chat not found"):
            await app.bot.send_message(-1001, "Hello?")
        with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
            await app.bot.send_message(-1002, "Hello?")
        post = await app.bot.send_message(-1003, "Lamp funded!")

    assert post.sender_chat is not None
    assert post.sender_chat.title == "Lamp news"
    assert post.from_user is None
