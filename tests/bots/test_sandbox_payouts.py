"""In the sandbox, creators are paid through their own accounts on the Stripe stand-in: the
demo's are onboarded as it starts, accounts of earlier runs are had again, and the page
publishes a draft once its creator has set up payouts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.storage import Database
from adapters.stripe.gateway import StripeGateway
from bots.catalog import parse_catalog
from bots.clock import SystemClock
from bots.config import Settings, load_settings
from bots.sandbox import STRIPE_CONNECT_WEBHOOK_SECRET, STRIPE_KEY, Sandbox
from bots.seeding import seed_catalog
from bots.telegram import PageHome
from core.campaigns import CampaignStatus
from core.identity import Caller, Identity, Platform
from core.payouts import FeePolicy, PayoutTerms
from core.usecases.payouts import open_payouts, page_status
from core.usecases.pledging import PledgeLimits
from tests.bots.conftest import write_config

# The same maker on both platforms, behind two campaigns; another behind a third.
CATALOG = """
[[campaigns]]
slug = "night-synth"
title = "Night Synth"
blurb = "A pocket synth."
creator = "Drift Circuits"
creators = ["telegram:5000000000000001", "discord:600000001"]
category = "technology"
currency = "USD"
goal = "100"
funding = "all_or_nothing"
starts = "-3d"
ends = "+2d"

[[campaigns]]
slug = "day-synth"
title = "Day Synth"
blurb = "Another synth."
creator = "Drift Circuits"
creators = ["discord:600000001"]
category = "technology"
currency = "USD"
goal = "100"
funding = "flexible"
starts = "-3d"
ends = "+2d"

[[campaigns]]
slug = "river-book"
title = "River Book"
blurb = "A book about rivers."
creator = "Ada"
creators = ["telegram:5000000000000002"]
category = "publishing"
currency = "GBP"
goal = "100"
funding = "flexible"
status = "draft"
starts = "-1d"
ends = "+20d"
"""
SAM_DRAFT = """
[[campaigns]]
slug = "sams-kiln"
title = "Sam's Kiln"
blurb = "A kiln for the street."
creator = "Sam"
creators = ["telegram:{user_id}"]
category = "art"
currency = "EUR"
goal = "500"
funding = "flexible"
status = "draft"
starts = "-1d"
ends = "+20d"
"""
DRIFT = (Identity(Platform.TELEGRAM, "5000000000000001"), Identity(Platform.DISCORD, "600000001"))
ADA = (Identity(Platform.TELEGRAM, "5000000000000002"),)


class Urls:
    """Backit's onboarding pages on the sandbox's web server, as the chat bots give them."""

    def refresh_url(self, account_id: str, identity: Identity) -> str:
        """The page that makes a new link."""
        return f"http://127.0.0.1:8080/payouts/refresh/{account_id}"

    def return_url(self, account_id: str, identity: Identity) -> str:
        """The page onboarding returns to."""
        return f"http://127.0.0.1:8080/payouts/return/{account_id}"


class Bot:
    """A running bot's way back to a person's pledges, once it knows its address."""

    def __init__(self, url: str | None) -> None:
        self.url = url

    def pledges_url(self) -> str | None:
        """The t.me link, if known."""
        return self.url


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The shipped settings: connect off, no fee."""
    return load_settings(write_config(tmp_path))


@pytest.fixture
async def sandbox(settings: Settings) -> AsyncIterator[Sandbox]:
    """The sandbox's stand-ins, running."""
    running = Sandbox(settings)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


async def seeded(database: Database, catalog: str = CATALOG) -> None:
    """The catalog seeded as `backit seed` does, with the shipped settings (connect off)."""
    limits = PledgeLimits()
    entries = parse_catalog(catalog, "demo.toml", datetime.now(UTC), limits)
    await seed_catalog(database.unit_of_work, SystemClock(), limits, entries)


async def read_account(sandbox: Sandbox, account_id: str) -> dict[str, Any]:
    """An account as this run's Stripe stand-in has it."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(
            f"{sandbox.stripe.base_url}/v1/accounts/{account_id}",
            headers={"Authorization": f"Bearer {STRIPE_KEY}"},
        ) as answer,
    ):
        assert answer.status == 200, await answer.text()
        account: dict[str, Any] = await answer.json()
        return account


def test_the_sandbox_pays_creators_through_their_accounts_with_a_demo_fee(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    fee_set = load_settings(
        write_config(tmp_path, **{"platform_fee_percent = 0": "platform_fee_percent = 2.5"})
    )

    terms = sandbox.settings(settings).payments.terms
    kept = sandbox.settings(fee_set).payments.terms

    assert terms == PayoutTerms(
        connect=True,
        fees=FeePolicy(500, {"EUR": 30, "USD": 30, "GBP": 20, "JPY": 40}),
        platform_country="FR",
    )
    # An operator's own fee is the sandbox's.
    assert kept == PayoutTerms(connect=True, fees=FeePolicy(250, {}), platform_country="FR")
    # Events about creators' accounts reach the web server's Connect endpoint, signed.
    assert sandbox.stripe.connect_webhook_url == "http://127.0.0.1:8080/stripe/connect-webhook"
    assert sandbox.stripe.connect_webhook_secret == STRIPE_CONNECT_WEBHOOK_SECRET


async def test_a_start_opens_an_onboarded_account_for_each_creator_who_has_none(
    database: Database, sandbox: Sandbox, settings: Settings
) -> None:
    await seeded(database)
    terms = sandbox.settings(settings).payments.terms

    counts = await sandbox.open_payout_accounts(database.unit_of_work, SystemClock(), terms)

    async with database.unit_of_work() as uow:
        accounts = await uow.payout_accounts.list_all()
    assert counts == (0, 2)
    # One account per creator, whatever the platforms and campaigns (drafts too).
    assert {frozenset(account.identities) for account in accounts} == {
        frozenset(DRIFT),
        frozenset(ADA),
    }
    for account in accounts:
        assert account.can_take_pledges
        assert account.state.details_submitted
        assert account.state.currently_due == ()
        held = await read_account(sandbox, account.account_id)
        assert (held["country"], held["charges_enabled"], held["payouts_enabled"]) == (
            "FR",
            True,
            True,
        )


async def test_a_later_start_has_every_stored_account_again_as_it_was(
    database: Database, settings: Settings
) -> None:
    await seeded(database)
    clock = SystemClock()
    first = Sandbox(settings)
    await first.start()
    try:
        terms = first.settings(settings).payments.terms
        await first.open_payout_accounts(database.unit_of_work, clock, terms)
        # Someone on the page began setting up payouts, and left before the end.
        gateway = StripeGateway(STRIPE_KEY, first.stripe.base_url)
        try:
            sam = Caller(Identity(Platform.TELEGRAM, "700000001"), "Sam", "en")
            began = await open_payouts(
                database.unit_of_work, clock, gateway, sam, "GB", terms, Urls()
            )
        finally:
            await gateway.close()
    finally:
        await first.stop()

    second = Sandbox(settings)
    await second.start()
    try:
        counts = await second.open_payout_accounts(database.unit_of_work, clock, terms)
        async with database.unit_of_work() as uow:
            accounts = await uow.payout_accounts.list_all()
        held = {a.account_id: await read_account(second, a.account_id) for a in accounts}
    finally:
        await second.stop()

    assert counts == (3, 0)
    assert len(accounts) == 3
    assert {account_id: account["charges_enabled"] for account_id, account in held.items()} == {
        account.account_id: account.account_id != began.account.account_id for account in accounts
    }
    assert held[began.account.account_id]["country"] == "GB"
    assert held[began.account.account_id]["details_submitted"] is False


async def test_the_page_publishes_a_draft_once_its_creator_has_set_up_payouts(
    database: Database, sandbox: Sandbox, settings: Settings
) -> None:
    clock = SystemClock()
    sandboxed = sandbox.settings(settings)
    terms = sandboxed.payments.terms
    you = sandbox.world.telegram.you
    await seeded(database, SAM_DRAFT.format(user_id=you.id))
    app = web.Application()
    app.add_routes(sandbox.routes(database.unit_of_work, clock, terms))
    gateway = StripeGateway(STRIPE_KEY, sandbox.stripe.base_url)
    async with TestClient(TestServer(app)) as page, aiohttp.ClientSession() as browser:
        try:

            async def publish(slug: str) -> Any:
                async with page.post("/sandbox/api/publish_campaign", json={"slug": slug}) as r:
                    assert r.status == 200
                    return await r.json()

            async with page.get("/sandbox/api/campaigns") as listed:
                offered = await listed.json()
            sandbox.world.set_language("fr")
            refused = await publish("sams-kiln")
            unknown = await publish("nowhere")
            # /payouts in the chat, then the hosted onboarding page, submitted.
            sam = Caller(Identity(Platform.TELEGRAM, str(you.id)), "Sam", "fr")
            began = await open_payouts(
                database.unit_of_work, clock, gateway, sam, None, terms, Urls()
            )
            async with browser.get(began.url) as shown:
                assert shown.status == 200
            async with browser.post(began.url, allow_redirects=False) as submitted:
                returned_to = submitted.headers["Location"]
            # The return page reads where the account stands.
            await page_status(database.unit_of_work, clock, gateway, began.account.account_id)
            published = await publish("sams-kiln")
        finally:
            await gateway.close()

    assert offered["can_publish"] is True
    assert offered["drafts"] == [{"slug": "sams-kiln", "title": "Sam's Kiln"}]
    assert began.url.startswith(f"{sandbox.stripe.base_url}/connect/onboarding/")
    assert refused == {
        "not_published": {
            "slug": "sams-kiln",
            "refusal": "Le compte de versement du créateur ne peut pas encore recevoir de "
            "paiements. Le créateur termine sa configuration avec /payouts.",
        }
    }
    assert unknown == {
        "not_published": {
            "slug": "nowhere",
            "refusal": "Aucune campagne ne s’appelle «\u00a0nowhere\u00a0».",
        }
    }
    assert returned_to == Urls().return_url(began.account.account_id, sam.identity)
    assert published == {"published": {"title": "Sam's Kiln", "coming_soon": False}}
    async with database.unit_of_work() as uow:
        kiln = await uow.campaigns.by_slug("sams-kiln")
    assert kiln is not None
    assert kiln.status is CampaignStatus.LIVE


def test_the_way_back_from_backits_pages_opens_the_chat_page_on_the_bot(
    settings: Settings,
) -> None:
    page = Sandbox.telegram_page(settings)

    home = PageHome(Bot("https://t.me/backit_sandbox_bot?start=mypledges"), page)

    # The return page after onboarding, like a checkout's, leads to the page's private chat.
    assert home.pledges_url() == (
        "http://127.0.0.1:8080/?telegram=https%3A%2F%2Ft.me%2Fbackit_sandbox_bot%3Fstart%3Dmypledges"
    )
    assert PageHome(Bot(None), page).pledges_url() is None


async def test_the_page_says_a_draft_published_before_its_start_is_coming_soon(
    database: Database, sandbox: Sandbox, settings: Settings
) -> None:
    clock = SystemClock()
    terms = sandbox.settings(settings).payments.terms
    await seeded(database)
    soon = SAM_DRAFT.replace('starts = "-1d"', 'starts = "+1h"').replace("sams-kiln", "soon-kiln")
    await seeded(database, soon.format(user_id=DRIFT[0].user_id))
    await sandbox.open_payout_accounts(database.unit_of_work, clock, terms)
    app = web.Application()
    app.add_routes(sandbox.routes(database.unit_of_work, clock, terms))
    async with (
        TestClient(TestServer(app)) as page,
        page.post("/sandbox/api/publish_campaign", json={"slug": "soon-kiln"}) as answer,
    ):
        published = await answer.json()

    assert published == {"published": {"title": "Sam's Kiln", "coming_soon": True}}
