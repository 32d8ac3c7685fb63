"""Creators' payout accounts on the web server: the Connect webhook, and the pages Stripe's
onboarding returns a creator to, on a real port, over fakes of storage and the provider."""

from __future__ import annotations

import asyncio
import io
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import timedelta
from html import unescape
from typing import Any

import aiohttp
import pytest
import stripe
from aiohttp import web

from adapters.images.progress_charts import ProgressCharts
from adapters.web.app import create_app
from adapters.web.payout_pages import PayoutPages, PayoutPageSigner
from adapters.web.services import WebLinks, WebServices
from core.campaigns import Campaign, FundingModel
from core.identity import Caller, Identity, Platform
from core.money import Money
from core.outbox import PayoutsChanged
from core.payments import MalformedEvent, PaymentOutcome
from core.payouts import AccountState, AccountUpdate, PayoutAccount, PayoutTerms
from core.pledge_links import PledgeLinkSigner
from core.usecases.backers import ensure_backer
from core.usecases.cached_reads import CachedReads
from core.usecases.managing import CampaignDraft, TierDraft, create_campaign, publish_campaign
from core.usecases.payouts import apply_account_update, open_payouts
from core.usecases.pledging import PledgeLimits
from tests.fakes import FakeDatabase, FakeGateway, FakePayoutGateway, FixedClock
from tests.payment_fixtures import LINK_SECRET, Page, fetch

CONNECT_SECRET = "whsec_backit_connect"
PLATFORM_SECRET = "whsec_backit_platform"
CREATOR = Identity(Platform.TELEGRAM, "1000")
TERMS = PayoutTerms(connect=True)
BOT_PLEDGES = "https://t.me/backit_bot?start=pledges"

Event = dict[str, Any]


def signed(body: str, secret: str = CONNECT_SECRET) -> str:
    """A `Stripe-Signature` header for a body, as Stripe computes it."""
    return stripe.WebhookSignature.generate_signature_header(  # type: ignore[no-any-return]
        body, secret
    )


class AccountEvents:
    """Reads Connect events as the Stripe gateway does: `account.updated` carries the account."""

    async def account_update_of_event(self, event: object) -> AccountUpdate | None:
        """The account's state an `account.updated` event gives; None for any other event."""
        if not isinstance(event, dict) or "type" not in event:
            raise MalformedEvent("not an event")
        if event["type"] != "account.updated":
            return None
        account = event["data"]["object"]
        state = AccountState(
            account["id"],
            account["country"],
            account["charges_enabled"],
            account["payouts_enabled"],
            account["details_submitted"],
            tuple(account["requirements"]["currently_due"]),
            FixedClock().now() + timedelta(seconds=event["created"]),
        )
        return AccountUpdate(event["id"], state)


class NoPaymentEvents:
    """The platform webhook's reader, unused here."""

    async def outcome_of_event(self, event: object) -> PaymentOutcome | None:
        """Nothing this file sends there."""
        return None


class TelegramBot:
    """A running Telegram bot, as a place the browser goes back to."""

    def pledges_url(self) -> str | None:
        """Where the bot shows a person their pledges."""
        return BOT_PLEDGES


def account_updated(
    account_id: str, *, charges: bool, event_id: str = "evt_1", after: int = 60
) -> Event:
    """An `account.updated` event, `after` seconds past the fake clock's start."""
    return {
        "id": event_id,
        "object": "event",
        "type": "account.updated",
        "account": account_id,
        "created": after,
        "data": {
            "object": {
                "id": account_id,
                "object": "account",
                "country": "FR",
                "charges_enabled": charges,
                "payouts_enabled": charges,
                "details_submitted": True,
                "requirements": {
                    "currently_due": [] if charges else ["individual.verification.document"]
                },
            }
        },
    }


@dataclass
class ConnectBackit:
    """Backit's web server paying creators through their accounts, and its fakes."""

    url: str
    services: WebServices
    db: FakeDatabase
    clock: FixedClock
    payouts: FakePayoutGateway
    checkouts: FakeGateway
    pages: PayoutPages

    async def deliver(
        self, browser: aiohttp.ClientSession, body: str, signature: str | None
    ) -> int:
        """POST a body to the Connect webhook as Stripe does; the answer's status."""
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if signature is not None:
            headers["Stripe-Signature"] = signature
        url = f"{self.url}/stripe/connect-webhook"
        async with browser.post(url, data=body.encode(), headers=headers) as answer:
            return answer.status

    async def onboarded_creator(self, identity: Identity = CREATOR) -> PayoutAccount:
        """A creator who opened an account through /payouts and finished onboarding."""
        status = await open_payouts(
            self.db.unit_of_work,
            self.clock,
            self.payouts,
            Caller(identity, "Ada", "en"),
            None,
            TERMS,
            self.pages,
        )
        update = AccountUpdate(None, self.payouts.onboard(status.account.account_id))
        assert await apply_account_update(self.db.unit_of_work(), self.clock, update)
        return self.account(status.account.account_id)

    def account(self, account_id: str) -> PayoutAccount:
        """An account as committed."""
        return self.db.state.payout_accounts[account_id]

    async def live_campaign(self, terms: PayoutTerms = TERMS) -> Campaign:
        """A flexible €100 campaign by the creator, published under `terms`."""
        draft = CampaignDraft(
            slug="lamp",
            title="The Lamp",
            blurb="A warm lamp.",
            description="",
            creator_name="Ada",
            creator_identities=(CREATOR,),
            category="design",
            goal=Money(10_000, "EUR"),
            funding_model=FundingModel.FLEXIBLE,
            starts_at=self.clock.now() - timedelta(days=1),
            ends_at=self.clock.now() + timedelta(days=20),
            tiers=(TierDraft("Lamp", "", 5_000),),
        )
        await create_campaign(self.db.unit_of_work(), draft)
        return await publish_campaign(self.db.unit_of_work(), self.clock, "lamp", terms)


@pytest.fixture
async def connect(browser: aiohttp.ClientSession) -> AsyncIterator[ConnectBackit]:
    """The web app on a free port with [payments] connect on."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}"
    db, clock = FakeDatabase(), FixedClock()
    payouts, checkouts = FakePayoutGateway(clock), FakeGateway()
    signer = PledgeLinkSigner(LINK_SECRET, timedelta(hours=1))
    pages = PayoutPages(url, PayoutPageSigner(LINK_SECRET), clock)
    reads = CachedReads(db.unit_of_work, db.counters, clock)
    services = WebServices(
        uows=db.unit_of_work,
        clock=clock,
        reads=reads,
        gateway=checkouts,
        webhooks=NoPaymentEvents(),
        webhook_secret=PLATFORM_SECRET,
        signer=signer,
        limits=PledgeLimits(),
        links=WebLinks(url, signer, {Platform.TELEGRAM: TelegramBot()}),
        public_url=url,
        progress_charts=ProgressCharts(reads, clock),
        terms=TERMS,
        payouts=payouts,
        connect_webhook_secret=CONNECT_SECRET,
        connect_webhooks=AccountEvents(),
        payout_pages=pages,
    )
    runner = web.AppRunner(create_app(services), shutdown_timeout=2.0)
    await runner.setup()
    await web.SockSite(runner, listening).start()
    yield ConnectBackit(url, services, db, clock, payouts, checkouts, pages)
    await runner.cleanup()


@pytest.fixture
async def without_connect(connect: ConnectBackit) -> AsyncIterator[str]:
    """A second web app on the same fakes, keeping every payment on the platform's account."""
    services = replace(
        connect.services,
        terms=PayoutTerms(),
        payouts=None,
        connect_webhook_secret=None,
        connect_webhooks=None,
        payout_pages=None,
    )
    runner = web.AppRunner(create_app(services), shutdown_timeout=2.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_an_account_losing_charges_delivered_ten_times_five_at_once_is_told_once(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    campaign = await connect.live_campaign()
    body = json.dumps(account_updated(account.account_id, charges=False))

    together = await asyncio.gather(
        *(connect.deliver(browser, body, signed(body)) for _ in range(5))
    )
    one_by_one = [await connect.deliver(browser, body, signed(body)) for _ in range(5)]

    assert together + one_by_one == [200] * 10
    state = connect.account(account.account_id).state
    assert (state.charges_enabled, state.currently_due) == (
        False,
        ("individual.verification.document",),
    )
    told = [m for m in connect.db.state.outbox if isinstance(m.notification.event, PayoutsChanged)]
    assert [(m.recipient.address, m.notification.event) for m in told] == [
        (CREATOR.user_id, PayoutsChanged(campaign.id, False))
    ]
    assert connect.db.state.payment_events == {"evt_1"}


def tampered(body: str) -> tuple[str, str | None]:
    """The body changed after it was signed."""
    forged = body.replace('"charges_enabled": true', '"charges_enabled": false')
    assert forged != body
    return forged, signed(body)


def platform_secret(body: str) -> tuple[str, str | None]:
    """Signed with the platform webhook's secret, not the Connect endpoint's."""
    return body, signed(body, PLATFORM_SECRET)


def no_signature(body: str) -> tuple[str, str | None]:
    """Not signed at all."""
    return body, None


@pytest.mark.parametrize("forge", [tampered, platform_secret, no_signature])
async def test_a_connect_event_that_fails_verification_is_refused_and_writes_nothing(
    connect: ConnectBackit, browser: aiohttp.ClientSession, forge: Any
) -> None:
    account = await connect.onboarded_creator()
    connect.payouts.onboard(account.account_id, charges=False)
    commits = connect.db.commits
    body, signature = forge(json.dumps(account_updated(account.account_id, charges=True)))

    assert await connect.deliver(browser, body, signature) == 400

    assert connect.db.commits == commits
    assert connect.account(account.account_id) == account


async def test_news_of_an_account_backit_never_opened_changes_nothing(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    body = json.dumps(account_updated("acct_someone_else", charges=False))

    assert await connect.deliver(browser, body, signed(body)) == 200

    assert list(connect.db.state.payout_accounts.values()) == [account]
    assert connect.db.state.outbox == []


async def test_connect_events_backit_does_not_use_are_acknowledged_and_write_nothing(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    commits = connect.db.commits
    body = json.dumps({"id": "evt_2", "type": "capability.updated", "data": {"object": {}}})

    assert await connect.deliver(browser, body, signed(body)) == 200

    assert connect.db.commits == commits


async def test_a_signed_connect_body_that_cannot_be_read_is_recorded_for_an_operator(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    assert await connect.deliver(browser, "not json", signed("not json")) == 200

    (anomaly,) = connect.db.state.payment_anomalies
    assert anomaly.reason == "the body is not JSON"


async def test_a_connect_body_over_one_mebibyte_is_refused_as_too_large(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    huge = json.dumps({"padding": "x" * (1024 * 1024)})
    url, headers = f"{connect.url}/stripe/connect-webhook", {"Stripe-Signature": signed(huge)}

    async with browser.post(url, data=io.BytesIO(huge.encode()), headers=headers) as answer:
        assert answer.status == 413
    assert connect.db.commits == 0


async def test_without_connect_there_is_no_connect_webhook_nor_payout_pages(
    connect: ConnectBackit, without_connect: str, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    body = json.dumps(account_updated(account.account_id, charges=False))
    token = connect.pages.return_url(account.account_id, CREATOR).rsplit("/", 1)[-1]
    headers = {"Stripe-Signature": signed(body)}

    async with browser.post(
        f"{without_connect}/stripe/connect-webhook", data=body, headers=headers
    ) as answer:
        assert answer.status == 404
    for page in ("refresh", "return"):
        assert (await fetch(browser, f"{without_connect}/payouts/{page}/{token}")).status == 404
    assert connect.account(account.account_id) == account


def path_of(url: str, connect: ConnectBackit) -> str:
    """A URL on Backit's server, without the server."""
    assert url.startswith(connect.url), url
    return url.removeprefix(connect.url)


async def test_the_refresh_page_sends_the_creator_to_a_fresh_onboarding_link_each_time(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    status = await open_payouts(
        connect.db.unit_of_work,
        connect.clock,
        connect.payouts,
        Caller(CREATOR, "Ada", "en"),
        None,
        TERMS,
        connect.pages,
    )
    refresh_url = connect.pages.refresh_url(status.account.account_id, CREATOR)

    first = await fetch(browser, refresh_url)
    # The stale link is used up; following the page again (Stripe's refresh) makes another.
    second = await fetch(browser, refresh_url)

    assert (first.status, second.status) == (303, 303)
    assert first.location == f"https://connect.test/setup/{status.account.account_id}/2"
    assert second.location == f"https://connect.test/setup/{status.account.account_id}/3"
    account_id, refresh, back = connect.payouts.links[-1]
    assert account_id == status.account.account_id
    assert path_of(refresh, connect).startswith("/payouts/refresh/")
    assert path_of(back, connect).startswith("/payouts/return/")


async def test_the_refresh_page_says_so_when_stripe_is_away(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    connect.payouts.unavailable = True

    page = await fetch(browser, connect.pages.refresh_url(account.account_id, CREATOR))

    assert page.status == 503
    assert "Payments are unavailable right now" in page.text


def paragraphs(page: Page) -> list[str]:
    """The page's title and paragraphs, as read."""
    text = unescape(page.text)
    title = text.split("<h1>")[1].split("</h1>")[0]
    return [title, *(p.split("</p>")[0] for p in text.split("<p>")[1:])]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Your payout account is ready",
                "Payments: on, your campaigns can be backed.",
                "Payouts to your bank: on.",
                "Stripe needs nothing more from you.",
            ],
        ),
        (
            "fr-FR,fr;q=0.9",
            [
                "Votre compte de versement est prêt",
                "Paiements\N{NO-BREAK SPACE}: activés, vos campagnes peuvent être soutenues.",
            ],
        ),
    ],
)
async def test_the_return_page_shows_where_the_creator_stands_in_their_language(
    connect: ConnectBackit, browser: aiohttp.ClientSession, language: str, expected: list[str]
) -> None:
    account = await connect.onboarded_creator()
    # Stripe has news the webhook has not brought yet: the page reads the account afresh.
    connect.clock.advance(timedelta(minutes=1))
    connect.payouts.onboard(account.account_id)

    page = await fetch(
        browser,
        connect.pages.return_url(account.account_id, CREATOR),
        headers={"Accept-Language": language},
    )

    assert page.status == 200
    assert paragraphs(page)[: len(expected)] == expected
    assert f'href="{BOT_PLEDGES}"' in unescape(page.text)


async def test_the_return_page_speaks_the_language_the_creator_chose_in_the_chat(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    async with connect.db.unit_of_work() as uow:
        await ensure_backer(uow, Caller(CREATOR, "Ada", "fr"))
        await uow.commit()
    account = await connect.onboarded_creator()

    page = await fetch(
        browser,
        connect.pages.return_url(account.account_id, CREATOR),
        headers={"Accept-Language": "en-US,en;q=0.9"},
    )

    assert paragraphs(page)[0] == "Votre compte de versement est prêt"


async def test_the_return_page_reads_an_unfinished_account_from_stripe_and_keeps_it(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    connect.clock.advance(timedelta(minutes=1))
    connect.payouts.onboard(account.account_id, charges=False)

    page = await fetch(browser, connect.pages.return_url(account.account_id, CREATOR))

    assert paragraphs(page)[:3] == [
        "Stripe is checking your details",
        "Payments: not yet, your campaigns can't be published or backed.",
        "Payouts to your bank: not yet.",
    ]
    assert not connect.account(account.account_id).state.charges_enabled


async def test_a_payout_page_token_that_is_forged_or_expired_leads_to_the_invalid_link_page(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    account = await connect.onboarded_creator()
    good = connect.pages.return_url(account.account_id, CREATOR)
    token = good.rsplit("/", 1)[-1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    pledge_token = connect.services.signer.sign_cancel(7)
    links_made = len(connect.payouts.links)

    pages = [
        await fetch(browser, f"{connect.url}/payouts/return/{forged}"),
        await fetch(browser, f"{connect.url}/payouts/refresh/{pledge_token}"),
        await fetch(browser, f"{connect.url}/payouts/return/nonsense"),
    ]
    connect.clock.advance(timedelta(days=7))
    expired = await fetch(browser, good)

    assert [page.status for page in pages] == [400, 400, 400]
    assert expired.status == 410
    for page in (*pages, expired):
        assert "This payout link is not valid or has expired" in page.text
    assert len(connect.payouts.links) == links_made
    french = await fetch(browser, good, headers={"Accept-Language": "fr"})
    assert "Ce lien de versement n’est pas valide ou a expiré" in unescape(french.text)


async def test_a_pledge_to_a_creator_whose_account_takes_no_payments_is_refused_in_french(
    connect: ConnectBackit, browser: aiohttp.ClientSession
) -> None:
    # Published while payments stayed on the platform's account; the creator has no account.
    campaign = await connect.live_campaign(PayoutTerms())
    async with connect.db.unit_of_work() as uow:
        backer = await ensure_backer(uow, Caller(Identity(Platform.TELEGRAM, "7"), "Bo", "fr"))
        await uow.commit()
    link = connect.services.signer.new_link(
        connect.clock.now(), backer.id, campaign.id, campaign.tiers[0].id
    )
    commits = connect.db.commits

    page = await fetch(
        browser,
        f"{connect.url}/pledge/{connect.services.signer.sign(link)}",
        headers={"Accept-Language": "fr"},
    )

    assert page.status == 409
    assert "Le compte de versement du créateur ne peut pas encore recevoir" in unescape(page.text)
    assert connect.db.commits == commits
    assert connect.checkouts.requests == []
