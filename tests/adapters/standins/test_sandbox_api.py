"""The sandbox's chat page API over HTTP, driving Backit's real bots on the real stand-ins."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from PIL import Image

from adapters.chat_services import ChatServices
from adapters.images.progress_charts import ProgressCharts
from adapters.standins.discord import DiscordStandin
from adapters.standins.sandbox import (
    Closed,
    NotClosed,
    NotPublished,
    Published,
    SandboxWorld,
    build_world,
    sandbox_routes,
)
from adapters.standins.telegram import BotApiStandin
from adapters.storage import Database
from adapters.telegram.application import build_application
from adapters.telegram.bot import TelegramBot
from core.campaigns import Campaign
from core.identity import Identity, Platform
from core.pledge_links import PledgeLinkSigner
from core.usecases.cached_reads import CachedReads
from core.usecases.pledging import PledgeLimits
from tests.adapters.chat_campaigns import live_campaign
from tests.adapters.discord.people import RunningBot
from tests.adapters.error_log import ErrorLog
from tests.fakes import FixedClock
from tests.telegram_fixtures import TOKEN

Json = dict[str, Any]
CREATOR = Identity(Platform.TELEGRAM, "1000")
# Where the real bots log what went wrong: any error fails the test.
WATCHED_LOGGERS = ("adapters.telegram", "telegram", "adapters.discord", "discord")


@pytest.fixture
def services(database: Database, link_signer: PledgeLinkSigner) -> ChatServices:
    """The services both bots run on: the test database, links signed with the test key."""
    clock = FixedClock()
    reads = CachedReads(database.unit_of_work, database.counters, clock)
    return ChatServices(
        uows=database.unit_of_work,
        clock=clock,
        reads=reads,
        progress_charts=ProgressCharts(reads, clock),
        limits=PledgeLimits(),
        operators=frozenset(),
        public_url="https://backit.test",
        signer=link_signer,
        gateway=None,
    )


@pytest.fixture
async def lamp(services: ChatServices) -> Campaign:
    """A live campaign the bots show."""
    return await live_campaign(services.uows, services.clock, creators=(CREATOR,))


@pytest.fixture
async def errors() -> AsyncIterator[ErrorLog]:
    """Every error the bots log; the test fails if there is one."""
    log = ErrorLog()
    watched = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in watched:
        logger.addHandler(log)
    yield log
    for logger in watched:
        logger.removeHandler(log)
    assert [record.getMessage() for record in log.records] == []


@pytest.fixture
async def bots(
    telegram_standin: BotApiStandin,
    discord_standin: DiscordStandin,
    services: ChatServices,
    errors: ErrorLog,
) -> AsyncIterator[None]:
    """Backit's Telegram bot polling its stand-in, and its Discord bot connected to its own."""
    telegram = TelegramBot(
        build_application(TOKEN, services, base_url=telegram_standin.base_url, polling=True),
        poll_timeout=1,
    )
    discord = RunningBot(discord_standin, services, defer_after=2.0)
    await telegram.start()
    await discord.start()
    try:
        yield
    finally:
        await discord.stop()
        await telegram.stop()


@pytest.fixture
def world(telegram_standin: BotApiStandin, discord_standin: DiscordStandin) -> SandboxWorld:
    """You, your chats and your Discord server, on the stand-ins."""
    return build_world(telegram_standin, discord_standin)


class Closings:
    """A stand-in for the composition's close and publish use cases: records the slugs it is
    given."""

    def __init__(self) -> None:
        self.slugs: list[str] = []
        self.published: list[str] = []

    async def close(self, slug: str) -> Closed | NotClosed:
        """Close the lamp, funded at 149 %; any other campaign is not live."""
        self.slugs.append(slug)
        return Closed("The Reading Lamp", "successful", 149) if slug == "lamp" else NotClosed(slug)

    async def live(self) -> list[tuple[str, str]]:
        """One live campaign."""
        return [("lamp", "The Reading Lamp")]

    async def publish(self, slug: str) -> Published | NotPublished:
        """Publish the kiln; the vase's creator has not set up payouts; nothing else exists."""
        self.published.append(slug)
        if slug == "kiln":
            return Published("The Kiln", coming_soon=False)
        if slug == "vase":
            return NotPublished(slug, "The creator finishes setting it up with /payouts.")
        return NotPublished(slug, f"There is no campaign {slug}.")

    async def drafts(self) -> list[tuple[str, str]]:
        """Two drafts."""
        return [("kiln", "The Kiln"), ("vase", "The Vase")]


@pytest.fixture
def closings() -> Closings:
    """What the page asked to close."""
    return Closings()


@pytest.fixture
async def page(
    world: SandboxWorld, bots: None, lamp: Campaign, closings: Closings
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """The page's routes on a real port, as the web server serves them in sandbox mode."""
    app = web.Application()
    app.add_routes(
        sandbox_routes(
            world,
            closings.close,
            closings.live,
            publish_campaign=closings.publish,
            draft_campaigns=closings.drafts,
        )
    )
    async with TestClient(TestServer(app)) as client:
        try:
            yield client
        finally:
            # Streams still open end here, as the web server's shutdown ends them.
            world.close()


class Events:
    """The page's Server-Sent Events, read one at a time."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response

    async def next(self, within: float = 5.0) -> tuple[str, Json]:
        """The next event's name and data, skipping keep-alive comments."""
        name, data = "", ""
        async with asyncio.timeout(within):
            while True:
                line = (await self._response.content.readline()).decode()
                assert line, "the stream ended"
                line = line.rstrip("\n")
                if not line and data:
                    return name, json.loads(data)
                key, _, value = line.partition(": ")
                if key == "event":
                    name = value
                elif key == "data":
                    data = value

    async def change(self, wanted: Callable[[Json], bool], within: float = 5.0) -> Json:
        """The first change that `wanted` accepts."""
        [found] = await self.changes(wanted, within=within)
        return found

    async def changes(self, *wanted: Callable[[Json], bool], within: float = 5.0) -> list[Json]:
        """For each test, the first change it accepts, in whatever order they come."""
        found: list[Json | None] = [None] * len(wanted)
        async with asyncio.timeout(within):
            while None in found:
                name, data = await self.next(within)
                missing = [i for i, test in enumerate(wanted) if found[i] is None and test(data)]
                if name == "change" and missing:
                    found[missing[0]] = data
        return [change for change in found if change is not None]


@pytest.fixture
async def events(page: TestClient[web.Request, web.Application]) -> AsyncIterator[Events]:
    """The page's stream, its first event (the state) already read."""
    async with page.get("/sandbox/api/stream") as response:
        assert response.headers["Content-Type"] == "text/event-stream"
        stream = Events(response)
        name, state = await stream.next()
        assert name == "state"
        assert state["telegram"]["chats"][0]["messages"] == []
        yield stream


async def post(client: TestClient[web.Request, web.Application], path: str, body: Any) -> Json:
    """POST a JSON body to the API; the answer must be a success."""
    async with client.post(f"/sandbox/api/{path}", json=body) as response:
        answer: Json = await response.json()
        assert response.status == 200, answer
        return answer


async def state(client: TestClient[web.Request, web.Application]) -> Json:
    """The state snapshot."""
    async with client.get("/sandbox/api/state") as response:
        assert response.status == 200
        found: Json = await response.json()
        return found


def from_bot(chat: str, kind: str = "sent") -> Callable[[Json], bool]:
    """Accepts a Telegram change the bot made in that chat."""
    return lambda change: (
        change["platform"] == "telegram"
        and change["chat"] == chat
        and change["kind"] == kind
        and change["message"]["from"]["is_bot"]
    )


def labels(message: Json) -> list[str]:
    """A Telegram message's button labels, row by row."""
    return [key["text"] for row in message["reply_markup"]["inline_keyboard"] for key in row]


def key_at(message: Json, label: str) -> tuple[int, int]:
    """Where a Telegram button is: its row and column."""
    for row, keys in enumerate(message["reply_markup"]["inline_keyboard"]):
        for column, key in enumerate(keys):
            if key["text"] == label:
                return row, column
    raise AssertionError(f"no button {label!r} among {labels(message)}")


async def test_discover_sent_from_the_page_shows_the_bots_reply_live_and_in_the_state(
    page: TestClient[web.Request, web.Application], events: Events, lamp: Campaign
) -> None:
    sent = await post(page, "telegram/send", {"chat": "private", "text": "/discover"})
    assert sent["message"]["text"] == "/discover"
    assert sent["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 9}]

    mine = await events.change(lambda c: c["platform"] == "telegram" and c["kind"] == "sent")
    reply = await events.change(from_bot("private"))

    assert mine["message"]["message_id"] == sent["message"]["message_id"]
    assert "The Reading Lamp" in reply["message"]["text"]
    # Exactly what the bot sent: its HTML as well as the text Telegram made of it.
    assert "<b>" in reply["message"]["html"]
    assert "1. The Reading Lamp" in labels(reply["message"])
    private = (await state(page))["telegram"]["chats"][0]
    assert [m["message_id"] for m in private["messages"]] == [
        sent["message"]["message_id"],
        reply["message_id"],
    ]


async def test_a_callback_button_edits_its_message_in_place_and_answers_with_a_toast(
    page: TestClient[web.Request, web.Application], events: Events
) -> None:
    await post(page, "telegram/send", {"chat": "private", "text": "/campaign lamp"})
    card = (await events.change(from_bot("private")))["message"]
    row, column = key_at(card, "Follow")

    pressed = await post(
        page,
        "telegram/press",
        {"chat": "private", "message_id": card["message_id"], "row": row, "column": column},
    )

    edited, toast = await events.changes(
        from_bot("private", "edited"), lambda c: c["kind"] == "callback_answered"
    )
    assert edited["message_id"] == card["message_id"]
    assert "Unfollow" in labels(edited["message"])
    assert toast["answer"]["text"] == pressed["answer"]["text"]
    assert "The Reading Lamp" in toast["answer"]["text"]
    assert not toast["answer"]["show_alert"]


async def test_inline_mode_offers_the_bots_results_and_posts_the_chosen_one_as_yours(
    page: TestClient[web.Request, web.Application], world: SandboxWorld, events: Events
) -> None:
    offered = await post(page, "telegram/inline_query", {"chat": "group", "query": "lamp"})
    [result] = [r for r in offered["results"] if "Reading Lamp" in r.get("title", "")]

    chosen = await post(
        page,
        "telegram/choose",
        {"chat": "group", "query_id": offered["query_id"], "result_id": result["id"]},
    )

    posted = await events.change(lambda c: c.get("chat") == "group" and c["kind"] == "sent")
    assert posted["message"] == chosen["message"]
    assert chosen["message"]["from"]["id"] == world.telegram.you.id
    assert chosen["message"]["via_bot"]["username"] == "backit_test_bot"
    assert "The Reading Lamp" in chosen["message"]["text"]


async def test_a_link_to_the_bot_opens_the_private_chat_with_its_start_payload(
    page: TestClient[web.Request, web.Application], events: Events
) -> None:
    url = "https://t.me/backit_test_bot?start=c_lamp"

    opened = await post(page, "telegram/open_link", {"url": url})

    card = await events.change(from_bot("private"))
    assert opened["message"]["text"] == "/start c_lamp"
    assert "The Reading Lamp" in card["message"]["caption"]


async def test_the_page_shows_the_pixels_of_a_photo_the_bot_uploaded_and_none_other(
    page: TestClient[web.Request, web.Application],
    world: SandboxWorld,
    telegram_standin: BotApiStandin,
    events: Events,
) -> None:
    await post(page, "telegram/send", {"chat": "private", "text": "/campaign lamp"})
    card = (await events.change(from_bot("private")))["message"]
    url = f"{telegram_standin.base_url}/bot{TOKEN}/sendPhoto"
    by_url = {"chat_id": str(world.telegram.private.id), "photo": "https://img.test/lamp.png"}
    async with aiohttp.ClientSession() as session, session.post(url, data=by_url) as sent:
        fetched_by_telegram = (await sent.json())["result"]["photo"][-1]["file_id"]

    async with page.get(f"/sandbox/api/telegram/photo/{card['photo'][-1]['file_id']}") as shown:
        assert shown.status == 200
        assert shown.headers["Content-Type"] == "image/png"
        assert shown.headers["X-Content-Type-Options"] == "nosniff"
        pixels = Image.open(io.BytesIO(await shown.read()))
    assert (pixels.format, pixels.size) == ("PNG", (1200, 675))
    for file_id in (fetched_by_telegram, "AgACAgIAAxkBAAI99999999", "..%2Ffiles", "x" * 300):
        async with page.get(f"/sandbox/api/telegram/photo/{file_id}") as missing:
            assert missing.status == 404, file_id


async def test_in_french_the_bot_answers_in_french_on_both_surfaces(
    page: TestClient[web.Request, web.Application], world: SandboxWorld, events: Events
) -> None:
    switched = await post(page, "language", {"language": "fr"})
    assert switched["language"] == "fr"
    assert world.telegram.you.record.language_code == "fr"
    # Telegram's app shows the menu of your language.
    assert {"command": "discover", "description": "Parcourir les campagnes"} in switched[
        "telegram"
    ]["commands"]["private"]

    await post(page, "telegram/send", {"chat": "private", "text": "/start"})
    welcome = await events.change(from_bot("private"))
    general = _channel(switched, "general")
    answered = await post(page, "discord/command", {"channel_id": general, "text": "/découvrir"})
    card = await events.change(lambda c: c["platform"] == "discord" and c["kind"] != "modal")

    assert welcome["message"]["text"].startswith("Bienvenue sur Backit\u00a0!")
    assert answered["answered"]
    assert card["message"]["interaction"]["name"] == "discover"
    assert card["message"]["embeds"][0]["title"] == "Tendances"


async def test_discover_in_a_discord_channel_shows_the_embed_with_its_buttons(
    page: TestClient[web.Request, web.Application], events: Events, world: SandboxWorld
) -> None:
    general = _channel(await state(page), "general")

    answered = await post(page, "discord/command", {"channel_id": general, "text": "/discover"})

    posted = await events.change(lambda c: c["platform"] == "discord")
    assert answered == {"interaction_id": answered["interaction_id"], "answered": True}
    assert posted["kind"] == "message_created"
    assert posted["channel_id"] == general
    [embed] = posted["message"]["embeds"]
    assert "The Reading Lamp" in embed["description"]
    assert world.discord is not None
    assert posted["message"]["interaction"]["user"]["username"] == world.discord.you.name
    buttons = [c["label"] for row in posted["message"]["components"] for c in row["components"]]
    assert "1. The Reading Lamp" in buttons
    [channel] = [c for c in (await state(page))["discord"]["channels"] if c["id"] == general]
    assert [m["id"] for m in channel["messages"]] == [posted["message"]["id"]]


async def test_a_discord_form_opened_by_a_button_reaches_the_page_and_is_submitted(
    page: TestClient[web.Request, web.Application], events: Events
) -> None:
    general = _channel(await state(page), "general")
    # The first option may go unnamed, as in Discord's box once a value is picked.
    await post(page, "discord/command", {"channel_id": general, "text": "/campaign lamp "})
    card = (await events.change(lambda c: c["platform"] == "discord"))["message"]
    [without_reward] = [
        c
        for row in card["components"]
        for c in row["components"]
        if c.get("label") == "Pledge without a reward"
    ]

    await post(
        page,
        "discord/press",
        {"channel_id": general, "message_id": card["id"], "custom_id": without_reward["custom_id"]},
    )
    opened = await events.change(lambda c: c["kind"] == "modal")
    field = opened["modal"]["components"][0]["component"]
    await post(
        page,
        "discord/submit_modal",
        {"interaction_id": opened["interaction_id"], "values": {field["custom_id"]: "25"}},
    )

    offer = await events.change(lambda c: c["kind"] == "message_created")
    assert opened["modal"]["title"] == "Pledge without a reward"
    assert "token" not in opened
    assert offer["message"]["flags"] & 64, "only you see your own pledge link"
    assert offer["message"]["content"].startswith("Back “The Reading Lamp” with €25.00")


async def test_typing_a_discord_command_offers_commands_choices_and_the_bots_suggestions(
    page: TestClient[web.Request, web.Application],
) -> None:
    general = _channel(await state(page), "general")

    async def offered(text: str) -> list[Json]:
        answer = await post(page, "discord/autocomplete", {"channel_id": general, "text": text})
        suggestions: list[Json] = answer["suggestions"]
        return suggestions

    commands = await offered("/ca")
    sorts = await offered("/discover sort:ne")
    campaigns = await offered("/campaign lam")
    nothing = await offered("/campaign xylophone")
    channels = await offered("/backit announce on channel:ann")

    assert [(s["label"], s["complete"]) for s in commands] == [("/campaign", "/campaign ")]
    assert [s["complete"] for s in sorts] == ["/discover sort:newest", "/discover sort:nearly"]
    assert campaigns == [
        {
            "label": "The Reading Lamp",
            "description": "",
            "complete": "/campaign lamp",
            "pick_on_enter": True,
        }
    ]
    assert nothing == []
    assert [s["complete"] for s in channels] == ["/backit announce on channel:#announcements"]


async def test_a_discord_command_with_a_channel_option_runs_as_the_servers_owner(
    page: TestClient[web.Request, web.Application], events: Events
) -> None:
    general = _channel(await state(page), "general")

    await post(
        page,
        "discord/command",
        {"channel_id": general, "text": "/backit announce on channel:#announcements"},
    )

    done = await events.change(lambda c: c["platform"] == "discord")
    assert done["message"]["flags"] & 64
    assert "Announcements are on in this server" in done["message"]["content"]


BAD_TELEGRAM = [
    ("telegram/send", {"chat": "private"}, "text is missing"),
    ("telegram/send", {"chat": "elsewhere", "text": "hi"}, "chat must be one of group, private"),
    ("telegram/send", {"chat": "private", "text": "   "}, "text must not be empty"),
    ("telegram/send", {"chat": "private", "text": "x" * 4097}, "longer than 4096"),
    ("telegram/send", {"chat": "private", "text": 42}, "text must be a string"),
    ("telegram/send", {"chat": "private", "text": "hi", "as": 1}, "unexpected field(s): as"),
    ("telegram/send", ["private", "hi"], "the body must be a JSON object"),
    ("telegram/send_photo", {"chat": "private", "caption": ""}, "jpeg is missing"),
    ("telegram/send_photo", {"chat": "private", "jpeg": "%%%", "caption": ""}, "base64"),
    (
        "telegram/send_photo",
        {"chat": "private", "jpeg": "iVBORw0KGgo=", "caption": ""},
        "send a photo as a JPEG",
    ),
    (
        "telegram/send_photo",
        {"chat": "private", "jpeg": "A" * 1_000_001, "caption": ""},
        "longer than 1000000",
    ),
    (
        "telegram/send_photo",
        {"chat": "private", "jpeg": "/9j/4A==", "caption": "x" * 1025},
        "longer than 1024",
    ),
    ("telegram/press", {"chat": "private", "message_id": 1, "row": 0, "column": 0}, "no message"),
    ("telegram/press", {"chat": "group", "message_id": -3, "row": 0, "column": 0}, "message_id"),
    ("telegram/open_link", {"url": "https://example.org/"}, "not a link to a bot"),
    ("telegram/inline_query", {"chat": "group", "query": "x" * 257}, "longer than 256"),
    ("telegram/choose", {"chat": "group", "query_id": "1", "result_id": "a"}, "no such inline"),
    ("language", {"language": "de"}, "language must be one of en, fr"),
    ("close_campaign", {"slug": "Not a slug!"}, "is not a campaign's slug"),
    ("publish_campaign", {"slug": "Not a slug!"}, "is not a campaign's slug"),
    ("publish_campaign", {"slug": "kiln", "now": True}, "unexpected field(s): now"),
]


@pytest.mark.parametrize(("path", "body", "why"), BAD_TELEGRAM)
async def test_bad_requests_are_refused_with_400_and_a_reason_and_change_nothing(
    page: TestClient[web.Request, web.Application],
    telegram_standin: BotApiStandin,
    world: SandboxWorld,
    closings: Closings,
    path: str,
    body: Any,
    why: str,
) -> None:
    async with page.post(f"/sandbox/api/{path}", json=body) as response:
        answer = await response.json()

    assert response.status == 400
    assert why in answer["error"]
    assert telegram_standin.messages(world.telegram.private) == []
    assert telegram_standin.messages(world.telegram.group) == []
    assert world.language == "en"
    assert (closings.slugs, closings.published) == ([], [])


BAD_DISCORD = [
    ({"channel_id": 42, "text": "/discover"}, "channel_id must be an id"),
    ({"channel_id": "42", "text": "/discover"}, "no such channel of yours"),
    ({"channel_id": "GENERAL", "text": "hello"}, "a command starts with /"),
    ({"channel_id": "GENERAL", "text": "/nothing"}, "there is no command /nothing here"),
    ({"channel_id": "GENERAL", "text": "/campaign"}, "name is required"),
    ({"channel_id": "GENERAL", "text": "/discover sort:loudest"}, "sort is one of: Trending"),
    ({"channel_id": "GENERAL", "text": "/backit"}, "/backit needs one of: announce, link, unlink"),
    ({"channel_id": "GENERAL", "text": "/backit announce on channel:#nowhere"}, "has no channel"),
    ({"channel_id": "DMS", "text": "/backit link name:lamp"}, "cannot be used in DMs"),
]


@pytest.mark.parametrize(("body", "why"), BAD_DISCORD)
async def test_bad_discord_commands_are_refused_with_400_and_reach_no_bot(
    page: TestClient[web.Request, web.Application],
    discord_standin: DiscordStandin,
    body: Json,
    why: str,
) -> None:
    channels = {c["name"]: c["id"] for c in (await state(page))["discord"]["channels"]}
    places = {"GENERAL": channels["general"], "DMS": channels["sam"]}
    sent = {**body, "channel_id": places.get(body["channel_id"], body["channel_id"])}

    async with page.post("/sandbox/api/discord/command", json=sent) as response:
        answer = await response.json()

    assert response.status == 400
    assert why in answer["error"]
    assert discord_standin.interactions == []


async def test_buttons_and_forms_that_do_not_exist_are_refused_and_nothing_is_dispatched(
    page: TestClient[web.Request, web.Application], discord_standin: DiscordStandin
) -> None:
    general = _channel(await state(page), "general")
    requests = [
        ("discord/press", {"channel_id": general, "message_id": "1", "custom_id": "x"}),
        (
            "discord/select",
            {"channel_id": general, "message_id": "1", "custom_id": "x", "values": ["a"]},
        ),
        ("discord/submit_modal", {"interaction_id": "1", "values": {"amount": "5"}}),
        ("discord/submit_modal", {"interaction_id": "1", "values": {"amount": 5}}),
    ]
    for path, body in requests:
        async with page.post(f"/sandbox/api/{path}", json=body) as response:
            assert response.status == 400, (path, body)
    assert discord_standin.interactions == []


async def test_requests_from_other_sites_or_not_in_json_are_refused(
    page: TestClient[web.Request, web.Application],
    telegram_standin: BotApiStandin,
    world: SandboxWorld,
) -> None:
    body = {"chat": "private", "text": "/start"}
    async with page.post(
        "/sandbox/api/telegram/send", json=body, headers={"Origin": "https://evil.example"}
    ) as other_site:
        assert other_site.status == 403
    async with page.post("/sandbox/api/telegram/send", data=body) as form:
        assert form.status == 400
        assert "Content-Type: application/json" in (await form.json())["error"]
    async with page.post("/sandbox/api/telegram/send", data=b"{", headers=_JSON) as broken:
        assert broken.status == 400
    assert telegram_standin.messages(world.telegram.private) == []


@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "evil.example", "127.0.0.1:{other}", "localhost.evil.example:{port}"],
)
async def test_requests_naming_another_host_are_refused_even_from_their_own_origin(
    page: TestClient[web.Request, web.Application],
    telegram_standin: BotApiStandin,
    world: SandboxWorld,
    host: str,
) -> None:
    # DNS rebinding: another site's name pointed at 127.0.0.1 is its own origin to a browser.
    port = page.port
    assert port is not None
    named = host.format(port=port, other=port + 1)
    site = {"Host": named, "Origin": f"http://{named}"}
    body = {"chat": "private", "text": "/start"}

    async with page.post("/sandbox/api/telegram/send", json=body, headers=site) as sent:
        assert sent.status == 403
    for path in ("/", "/sandbox/api/state", "/sandbox/api/campaigns"):
        async with page.get(path, headers=site) as read:
            assert read.status == 403, path
    assert telegram_standin.messages(world.telegram.private) == []


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST"])
async def test_the_loopback_names_of_the_port_served_are_answered(
    page: TestClient[web.Request, web.Application], name: str
) -> None:
    here = f"{name}:{page.port}"
    async with page.get("/sandbox/api/state", headers={"Host": here}) as read:
        assert read.status == 200
    body = {"language": "fr"}
    headers = {"Host": here, "Origin": f"http://{here}"}
    async with page.post("/sandbox/api/language", json=body, headers=headers) as chosen:
        assert chosen.status == 200


async def test_closing_a_campaign_runs_the_close_use_case_it_was_given(
    page: TestClient[web.Request, web.Application], closings: Closings
) -> None:
    async with page.get("/sandbox/api/campaigns") as response:
        listed = await response.json()

    closed = await post(page, "close_campaign", {"slug": "lamp"})

    assert listed == {
        "can_close": True,
        "campaigns": [{"slug": "lamp", "title": "The Reading Lamp"}],
        "can_publish": True,
        "drafts": [{"slug": "kiln", "title": "The Kiln"}, {"slug": "vase", "title": "The Vase"}],
    }
    # The page words it in its own language: the facts, not an English sentence.
    assert closed == {
        "closed": {"title": "The Reading Lamp", "status": "successful", "percent": 149}
    }
    assert await post(page, "close_campaign", {"slug": "kiln"}) == {
        "not_closed": {"slug": "kiln", "refusal": None}
    }
    assert closings.slugs == ["lamp", "kiln"]


async def test_without_a_list_of_live_campaigns_the_page_asks_for_a_slug(
    world: SandboxWorld, closings: Closings
) -> None:
    app = web.Application()
    app.add_routes(sandbox_routes(world, closings.close))
    async with TestClient(TestServer(app)) as client:
        async with client.get("/sandbox/api/campaigns") as response:
            listed = await response.json()
        closed = await post(client, "close_campaign", {"slug": "lamp"})

    assert listed == {"can_close": True, "campaigns": None, "can_publish": False, "drafts": None}
    assert closed["closed"]["title"] == "The Reading Lamp"


async def test_without_a_close_use_case_nothing_can_be_closed(world: SandboxWorld) -> None:
    app = web.Application()
    app.add_routes(sandbox_routes(world))
    async with TestClient(TestServer(app)) as client:
        async with client.get("/sandbox/api/campaigns") as response:
            listed = await response.json()
        async with client.post("/sandbox/api/close_campaign", json={"slug": "lamp"}) as refused:
            assert refused.status == 400
        async with client.post("/sandbox/api/publish_campaign", json={"slug": "kiln"}) as no:
            assert no.status == 400

    assert listed == {"can_close": False, "campaigns": None, "can_publish": False, "drafts": None}


async def test_publishing_a_draft_runs_the_publish_use_case_and_gives_its_refusal(
    page: TestClient[web.Request, web.Application], closings: Closings
) -> None:
    published = await post(page, "publish_campaign", {"slug": "kiln"})
    refused = await post(page, "publish_campaign", {"slug": "vase"})
    unknown = await post(page, "publish_campaign", {"slug": "nowhere"})

    assert published == {"published": {"title": "The Kiln", "coming_soon": False}}
    # The refusal is core's, already in the page's language.
    assert refused == {
        "not_published": {
            "slug": "vase",
            "refusal": "The creator finishes setting it up with /payouts.",
        }
    }
    assert unknown == {
        "not_published": {"slug": "nowhere", "refusal": "There is no campaign nowhere."}
    }
    assert closings.published == ["kiln", "vase", "nowhere"]
    assert closings.slugs == []


async def test_a_stream_ends_once_its_page_has_gone(
    page: TestClient[web.Request, web.Application], world: SandboxWorld
) -> None:
    async with page.get("/sandbox/api/stream") as response:
        assert (await Events(response).next())[0] == "state"
        assert len(world.feeds) == 1

    # The handler checks its connection once a second while nothing happens.
    for _ in range(50):
        if not world.feeds:
            break
        await asyncio.sleep(0.1)
    assert world.feeds == set()


async def test_the_page_and_its_files_are_served_without_a_build_or_a_network(
    page: TestClient[web.Request, web.Application],
) -> None:
    async with page.get("/") as response:
        html = await response.text()
    assert response.status == 200
    # Everything the page loads is shipped in the package: no CDN, no other host.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets == ["data:,", "/sandbox/static/sandbox.css", "/sandbox/static/sandbox.js"]
    modules = ["sandbox.js"]
    for name in modules:
        async with page.get(f"/sandbox/static/{name}") as script:
            assert script.status == 200, name
            imported = re.findall(r'from "([^"]+)";$', await script.text(), re.M)
        assert all(path.startswith("./") for path in imported), (name, imported)
        modules.extend(path[2:] for path in imported if path[2:] not in modules)
    for missing in ("index.html", "nothing.js", "../routes.py"):
        async with page.get(f"/sandbox/static/{missing}") as response:
            assert response.status == 404, missing
    assert sorted(modules) == [
        "discord.js",
        "discord_forms.js",
        "discord_markdown.js",
        "dom.js",
        "labels.js",
        "sandbox.js",
        "telegram.js",
        "telegram_text.js",
    ]


_JSON = {"Content-Type": "application/json"}


def _channel(snapshot: Json, name: str) -> str:
    """A Discord channel's id, by name."""
    [found] = [c["id"] for c in snapshot["discord"]["channels"] if c["name"] == name]
    return str(found)


async def test_the_page_runs_only_its_own_scripts_and_cannot_be_framed(
    page: TestClient[web.Request, web.Application],
) -> None:
    async with page.get("/") as response:
        headers = response.headers
    async with page.get("/sandbox/static/sandbox.js") as script:
        script_headers = script.headers

    assert headers["Content-Security-Policy"].startswith("default-src 'self'; ")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    for answer in (headers, script_headers):
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["X-Frame-Options"] == "DENY"
        assert answer["Referrer-Policy"] == "same-origin"


async def test_files_the_bots_send_are_downloaded_under_their_names_from_the_page(
    page: TestClient[web.Request, web.Application],
    world: SandboxWorld,
    telegram_standin: BotApiStandin,
    discord_http: aiohttp.ClientSession,
) -> None:
    sheet = b"backer_number,name\n1,Ada\n"
    document = aiohttp.FormData()
    document.add_field("chat_id", str(world.telegram.private.id))
    document.add_field("document", sheet, filename="lamp-backers.csv")
    url = f"{telegram_standin.base_url}/bot{TOKEN}/sendDocument"
    async with aiohttp.ClientSession() as session, session.post(url, data=document) as sent:
        file_id = (await sent.json())["result"]["document"]["file_id"]
    assert world.discord is not None
    channel = world.discord.channels()[0].id
    attached = aiohttp.FormData()
    attached.add_field("payload_json", "{}")
    attached.add_field("files[0]", sheet, filename="lamp-backers.csv")
    async with discord_http.post(f"channels/{channel}/messages", data=attached) as posted:
        attachment_id = (await posted.json())["attachments"][0]["id"]

    for path in (f"telegram/document/{file_id}", f"discord/attachment/{attachment_id}"):
        async with page.get(f"/sandbox/api/{path}") as response:
            assert response.status == 200
            assert await response.read() == sheet
            # Saved, never shown on the sandbox's own origin.
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert response.headers["Content-Disposition"].endswith("lamp-backers.csv")
    for path in ("telegram/document/unknown", "discord/attachment/1", "discord/attachment/x"):
        async with page.get(f"/sandbox/api/{path}") as response:
            assert response.status == 404
