"""The stand-in against the Bot API's machine-readable spec: objects, results and parameters."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.standins.telegram import BotApiStandin, BotProfile
from adapters.standins.telegram.members import MemberStatus
from adapters.standins.telegram.methods import METHODS
from adapters.standins.telegram.parameters import METHOD_PARAMETERS, Kind
from tests.telegram_fixtures import CAMPAIGN_KEYBOARD, TOKEN, call_api, png

# Kept in the repository (tests/reference), so any clone checks the stand-ins against it.
REPO_ROOT = Path(__file__).resolve().parents[3]
REFERENCE = REPO_ROOT / "tests" / "reference" / "telegram-bot-api.json"
SPEC: dict[str, Any] = json.loads(REFERENCE.read_text())
SCALARS = {
    "Integer": lambda value: type(value) is int,
    "Float": lambda value: type(value) in (int, float),
    "String": lambda value: isinstance(value, str),
    "Boolean": lambda value: isinstance(value, bool),
    "True": lambda value: value is True,
}
MEMBER_SHAPES: dict[MemberStatus, str] = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}


def violations(value: Any, types: list[str], path: str = "result") -> list[str]:
    """How a value breaks the spec, for the first of its allowed types; empty when it fits one."""
    found: list[str] = []
    for type_name in types:
        problems = _violations(value, type_name, path)
        if not problems:
            return []
        found = found or problems
    return found


def _violations(value: Any, type_name: str, path: str) -> list[str]:
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not an {type_name}"]
        item_type = type_name.removeprefix("Array of ")
        return [
            p for i, item in enumerate(value) for p in violations(item, [item_type], f"{path}[{i}]")
        ]
    if type_name in SCALARS:
        return [] if SCALARS[type_name](value) else [f"{path}: {value!r} is not a {type_name}"]
    spec_type = SPEC["types"][type_name]
    if spec_type.get("subtypes"):
        return violations(value, spec_type["subtypes"], path)
    if not isinstance(value, dict):
        return [f"{path}: {value!r} is not a {type_name}"]
    fields = {field["name"]: field for field in spec_type.get("fields", [])}
    problems = [f"{path}.{key}: no such field in {type_name}" for key in value if key not in fields]
    for name, field in fields.items():
        if name in value:
            problems += violations(value[name], field["types"], f"{path}.{name}")
        elif field["required"]:
            problems.append(f"{path}.{name}: required in {type_name}, missing")
    return problems


async def api(standin: BotApiStandin, method: str, **parameters: Any) -> Any:
    """A call's result, checked against the types the spec says the method returns."""
    status, body = await call_api(standin, method, **parameters)
    assert status == 200, body
    assert violations(body["result"], SPEC["methods"][method]["returns"], method) == []
    return body["result"]


async def send_photo(standin: BotApiStandin, chat_id: int) -> Any:
    """sendPhoto as multipart with a file part, the way the library uploads."""
    return await _upload(standin, chat_id, "sendPhoto", "photo", png(8, 6), "lamp.png")


async def send_document(standin: BotApiStandin, chat_id: int) -> Any:
    """sendDocument as multipart with a file part, the way the library uploads."""
    return await _upload(standin, chat_id, "sendDocument", "document", b"a,b\n1,2\n", "lamp.csv")


async def _upload(
    standin: BotApiStandin, chat_id: int, method: str, part: str, data: bytes, filename: str
) -> Any:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(chat_id))
    form.add_field("caption", "<b>Lamp</b>")
    form.add_field("parse_mode", "HTML")
    form.add_field(part, data, filename=filename)
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{standin.base_url}/bot{TOKEN}/{method}", data=form) as response,
    ):
        body = await response.json()
    assert violations(body["result"], ["Message"], method) == []
    return body["result"]


class FailingWebhook:
    """A webhook that always answers 500, and says when it was called twice."""

    def __init__(self) -> None:
        self.calls = 0
        self.retried = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        """Count the delivery and fail it."""
        self.calls += 1
        if self.calls >= 2:
            self.retried.set()
        return web.Response(status=500)


@pytest.fixture
async def failing_webhook() -> AsyncIterator[tuple[FailingWebhook, str]]:
    """A running FailingWebhook and its URL."""
    receiver = FailingWebhook()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield receiver, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    await runner.cleanup()


def test_the_reference_is_the_bot_api_spec() -> None:
    assert SPEC["version"].startswith("Bot API")
    assert set(METHODS) <= set(SPEC["methods"])


async def test_every_object_carries_the_specs_required_fields_and_types(
    failing_webhook: tuple[FailingWebhook, str],
) -> None:
    async with BotApiStandin(
        BotProfile(TOKEN, inline_feedback=True), webhook_retry_delays=(0.05,)
    ) as standin:
        ada = standin.user(42, "Ada", username="ada", last_name="Lovelace")
        grace = standin.user(43, "Grace")
        chat = standin.private_chat(ada)
        group = standin.group(-1001, "Lamp lovers", creator=ada, members=[grace])
        channel = standin.channel(-1002, "Lamp news", creator=ada, username="lampnews")

        await api(standin, "getMe")
        question = await ada.send(chat, "/start c_lamp")
        card = await api(
            standin,
            "sendMessage",
            chat_id=chat.id,
            text='<b>Lamp</b> <a href="https://backit.test">site</a>',
            parse_mode="HTML",
            reply_markup=CAMPAIGN_KEYBOARD.to_dict(),
            reply_parameters={"message_id": question["message_id"]},
            link_preview_options={"is_disabled": True},
            protect_content=True,
        )
        photo = await send_photo(standin, chat.id)
        await send_document(standin, chat.id)
        await ada.press(card, "Back it")
        asking = asyncio.create_task(ada.inline_query("lamp", chat=group))
        [*_, inline] = await api(standin, "getUpdates", timeout=2)
        article = {
            "type": "article",
            "id": "lamp",
            "title": "Lamp",
            "input_message_content": {"message_text": "<i>Lamp</i>", "parse_mode": "HTML"},
            "reply_markup": {"inline_keyboard": [[{"text": "Open", "callback_data": "o"}]]},
        }
        await api(
            standin,
            "answerInlineQuery",
            inline_query_id=inline["inline_query"]["id"],
            results=[article],
        )
        shared = await ada.choose(await asking, 0, group)
        await grace.press(shared, "Open")
        await ada.send(channel, "Lamp funded!")
        updates = await api(standin, "getUpdates", timeout=0)
        kinds = {kind for update in updates for kind in update if kind != "update_id"}
        assert kinds == {
            "message",
            "callback_query",
            "inline_query",
            "chosen_inline_result",
            "channel_post",
        }

        await api(
            standin,
            "editMessageText",
            chat_id=chat.id,
            message_id=card["message_id"],
            text="Lamp, 20%",
        )
        await api(
            standin,
            "editMessageCaption",
            chat_id=chat.id,
            message_id=photo["message_id"],
            caption="Lamp",
        )
        await api(
            standin,
            "editMessageMedia",
            chat_id=chat.id,
            message_id=photo["message_id"],
            media={"type": "photo", "media": photo["photo"][-1]["file_id"], "caption": "20%"},
        )
        [update] = [
            u
            for u in standin.pending_updates()
            if "callback_query" in u and "inline_message_id" in u["callback_query"]
        ]
        inline_id = update["callback_query"]["inline_message_id"]
        assert await api(standin, "editMessageReplyMarkup", inline_message_id=inline_id) is True
        await api(standin, "getFile", file_id=photo["photo"][-1]["file_id"])

        for status, shape in MEMBER_SHAPES.items():
            standin.set_status(group, grace, status)
            member = await api(standin, "getChatMember", chat_id=group.id, user_id=grace.id)
            assert violations(member, [shape]) == []
        for chat_id in (chat.id, group.id, "@lampnews"):
            await api(standin, "getChat", chat_id=chat_id)

        await api(standin, "setMyCommands", commands=[{"command": "start", "description": "Go"}])
        await api(standin, "getMyCommands")
        await api(standin, "setMyDescription", description="Back campaigns.")
        await api(standin, "getMyDescription")
        await api(standin, "getMyShortDescription")

        receiver, url = failing_webhook
        await api(standin, "setWebhook", url=url, secret_token="s", allowed_updates=["message"])
        await ada.send(chat, "anyone there?")
        await asyncio.wait_for(receiver.retried.wait(), 5)
        info = await api(standin, "getWebhookInfo")
        assert (
            info["last_error_message"]
            == "Wrong response from the webhook: 500 Internal Server Error"
        )
        await api(standin, "deleteWebhook", drop_pending_updates=True)
        await api(standin, "getWebhookInfo")

        standin.enforce_rate_limits()
        quiet = standin.private_chat(grace)
        await api(standin, "sendMessage", chat_id=quiet.id, text="one")
        code, body = await call_api(standin, "sendMessage", chat_id=quiet.id, text="two")
        assert code == 429
        assert violations(body["parameters"], ["ResponseParameters"]) == []


# Edits address a message either by chat and id or by inline id, never both; setWebhook's
# certificate is an upload. Their parameters are covered by the comparison below.
NOT_ALL_AT_ONCE = {
    "editMessageText",
    "editMessageCaption",
    "editMessageMedia",
    "editMessageReplyMarkup",
    "setWebhook",
}


async def test_a_call_may_carry_every_parameter_the_spec_lists(
    telegram_standin: BotApiStandin,
) -> None:
    standin = telegram_standin
    ada = standin.user(42, "Ada")
    chat = standin.private_chat(ada)
    group = standin.group(-1001, "Lamp lovers", members=[ada])
    question = await ada.send(chat, "hi")
    photo = await send_photo(standin, chat.id)
    document = await send_document(standin, chat.id)
    card = await api(
        standin,
        "sendMessage",
        chat_id=chat.id,
        text="Lamp",
        reply_markup=CAMPAIGN_KEYBOARD.to_dict(),
    )
    press = await ada.press(card, "Back it")
    asking = asyncio.create_task(ada.inline_query("lamp", timeout=2))
    [*_, inline] = await api(standin, "getUpdates", timeout=2)
    sending = {
        "business_connection_id": "AAAB",
        "chat_id": chat.id,
        "message_thread_id": 1,
        "direct_messages_topic_id": 1,
    }
    delivery = {
        "disable_notification": True,
        "protect_content": True,
        "allow_paid_broadcast": False,
        "message_effect_id": "5104841245755180586",
        "suggested_post_parameters": {"price": {"currency": "XTR", "amount": 10}},
        "reply_parameters": {"message_id": question["message_id"]},
        "reply_markup": CAMPAIGN_KEYBOARD.to_dict(),
    }
    bold = [{"type": "bold", "offset": 0, "length": 4}]
    article = {
        "type": "article",
        "id": "lamp",
        "title": "Lamp",
        "input_message_content": {"message_text": "Lamp"},
    }
    menu = {"scope": {"type": "chat", "chat_id": group.id}, "language_code": "fr"}
    calls: dict[str, dict[str, Any]] = {
        "getMe": {},
        "getWebhookInfo": {},
        "deleteWebhook": {"drop_pending_updates": False},
        "sendMessage": {
            **sending,
            "text": "<b>Lamp</b>",
            "parse_mode": "HTML",
            "entities": bold,
            "link_preview_options": {"is_disabled": True},
            **delivery,
        },
        "sendPhoto": {
            **sending,
            "photo": photo["photo"][-1]["file_id"],
            "caption": "Lamp",
            "parse_mode": "HTML",
            "caption_entities": bold,
            "show_caption_above_media": True,
            "has_spoiler": True,
            **delivery,
        },
        "sendDocument": {
            **sending,
            "document": document["document"]["file_id"],
            "thumbnail": photo["photo"][-1]["file_id"],
            "caption": "Lamp",
            "parse_mode": "HTML",
            "caption_entities": bold,
            "disable_content_type_detection": True,
            **delivery,
        },
        "sendChatAction": {
            "business_connection_id": "AAAB",
            "chat_id": chat.id,
            "message_thread_id": 1,
            "action": "typing",
        },
        "answerCallbackQuery": {
            "callback_query_id": press.id,
            "text": "Noted",
            "show_alert": True,
            "url": "https://t.me/backit_test_bot?start=lamp",
            "cache_time": 5,
        },
        "answerInlineQuery": {
            "inline_query_id": inline["inline_query"]["id"],
            "results": [article],
            "cache_time": 0,
            "is_personal": True,
            "next_offset": "10",
            "button": {"text": "Open Backit", "start_parameter": "inline"},
        },
        "getChat": {"chat_id": group.id},
        "getChatMember": {"chat_id": group.id, "user_id": ada.id},
        "setMyCommands": {"commands": [{"command": "link", "description": "Lier"}], **menu},
        "getMyCommands": menu,
        "deleteMyCommands": menu,
        "setMyDescription": {"description": "Soutenez des campagnes.", "language_code": "fr"},
        "getMyDescription": {"language_code": "fr"},
        "setMyShortDescription": {"short_description": "Financement", "language_code": "fr"},
        "getMyShortDescription": {"language_code": "fr"},
        "getFile": {"file_id": photo["photo"][-1]["file_id"]},
        "deleteMessage": {"chat_id": chat.id, "message_id": question["message_id"]},
        "getUpdates": {"offset": 0, "limit": 10, "timeout": 0, "allowed_updates": ["message"]},
    }

    assert set(calls) == set(METHODS) - NOT_ALL_AT_ONCE
    for method, parameters in calls.items():
        listed = {field["name"] for field in SPEC["methods"][method].get("fields", [])}
        assert set(parameters) == listed, method
        await api(standin, method, **parameters)
    assert (await asking).next_offset == "10"


async def test_parameters_telegram_does_not_know_are_ignored(
    telegram_standin: BotApiStandin,
) -> None:
    chat = telegram_standin.private_chat(telegram_standin.user(42, "Ada"))

    sent = await api(
        telegram_standin, "sendMessage", chat_id=chat.id, text="Lamp", colour="teal", sparkle=True
    )

    assert sent["text"] == "Lamp"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_each_method_takes_exactly_the_specs_parameters(method: str) -> None:
    spec = {field["name"]: field for field in SPEC["methods"][method].get("fields", [])}
    declared = METHOD_PARAMETERS[method]

    assert set(declared) == set(spec)
    for name, parameter in declared.items():
        assert parameter.required == spec[name]["required"], name
        assert parameter.kind == _kind(spec[name]["types"]), name


def _kind(types: list[str]) -> Kind:
    by_types = {
        ("Integer",): Kind.INTEGER,
        ("Float",): Kind.FLOAT,
        ("String",): Kind.STRING,
        ("Boolean",): Kind.BOOLEAN,
        ("Integer", "String"): Kind.CHAT_ID,
        ("InputFile",): Kind.FILE,
        ("InputFile", "String"): Kind.FILE,
    }
    return by_types.get(tuple(types), Kind.JSON)
