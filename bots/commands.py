"""The operator commands behind `backit`: each opens the database, runs a use case, reports."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from typing import Any

from adapters.images.card_images import card_images
from adapters.storage import Database, check_usable, upgrade
from bots.catalog import read_catalog
from bots.clock import SystemClock
from bots.config import Settings
from bots.dispatching import DispatcherComponent, delivers
from bots.payments import stripe_gateway
from bots.process import components, run_until_signalled
from bots.report import (
    accounts_table,
    backers_table,
    campaign_json,
    campaign_text,
    campaigns_table,
    iso_utc,
    review_table,
    statement_csv,
    statement_table,
    table,
)
from bots.sandbox import PageStreams, Sandbox, banner, wanted
from bots.seeding import CreatorsNotPaid, existing_slugs, seed_catalog
from core.campaigns import CampaignStatus
from core.payments import PaymentAnomaly, PaymentUnavailable
from core.ports import UnitOfWorkFactory
from core.statements import statement
from core.usecases.cancelling import cancel_campaign
from core.usecases.choosing import any_campaign_named
from core.usecases.closing import close_now
from core.usecases.covering import cover_jpeg
from core.usecases.exporting import campaign_backers
from core.usecases.managing import create_campaign, publish_campaign
from core.usecases.reconciling import reconcile, reconcile_payouts, resolve_anomaly
from core.usecases.reviewing import approve, in_review
from core.views.backer_sheet import backers_csv


class CommandFailed(Exception):
    """An operator request that cannot be carried out; the message says why."""


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Database]:
    """The settings' database, once it is found usable (DatabaseUnusable says why not)."""
    await check_usable(settings.database_url)
    async with Database.connect(settings.database_url) as db:
        yield db


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


async def db_upgrade(settings: Settings, args: argparse.Namespace) -> None:
    """Migrate the database schema to the latest revision."""
    await upgrade(settings.database_url)
    print("database schema is up to date")


async def seed(settings: Settings, args: argparse.Namespace) -> None:
    """Create a catalog's new campaigns, publish them and back them with demo backers."""
    clock = SystemClock()
    entries = read_catalog(args.file, clock.now(), settings.pledges.limits)
    async with open_database(settings) as db:
        if args.if_empty and await existing_slugs(db.unit_of_work):
            print("there are campaigns already; nothing seeded")
            return
        try:
            report = await seed_catalog(
                db.unit_of_work, clock, settings.pledges.limits, entries, settings.payments.terms
            )
        except CreatorsNotPaid as unpaid:
            raise CommandFailed(
                "[payments] connect is on, and the creators of these campaigns have no payout "
                f"account taking payments, so they cannot be published: {unpaid}; nothing "
                "seeded. Seed with connect = false (BACKIT_PAYMENTS__CONNECT=false): the "
                "sandbox then opens the demo creators' accounts, and real creators open theirs "
                "with /payouts"
            ) from None
    rows = [
        ["created", c.slug, str(c.status), f"{c.percent}%", f"{c.backers_count} backers"]
        for c in report.created
    ]
    rows += [["skipped", slug, "(exists)", "", ""] for slug in report.skipped]
    print(table(rows))
    print(f"{len(report.created)} created, {len(report.skipped)} skipped")


async def campaigns_list(settings: Settings, args: argparse.Namespace) -> None:
    """Every campaign, whatever its status."""
    async with open_database(settings) as db, db.unit_of_work() as uow:
        campaigns = await uow.campaigns.list_all()
    if args.json:
        _print_json([campaign_json(c, tiers=False) for c in campaigns])
    elif campaigns:
        print(campaigns_table(campaigns))
    else:
        print("no campaigns")


async def campaigns_review(settings: Settings, args: argparse.Namespace) -> None:
    """The campaigns waiting for an operator's review, the soonest to start first."""
    async with open_database(settings) as db:
        campaigns = await in_review(db.unit_of_work)
    if args.json:
        _print_json([campaign_json(c, tiers=False) for c in campaigns])
    elif campaigns:
        print(review_table(campaigns))
    else:
        print("no campaigns waiting for review")


async def campaigns_show(settings: Settings, args: argparse.Namespace) -> None:
    """One campaign's figures and tiers."""
    async with open_database(settings) as db:
        campaign = await any_campaign_named(db.unit_of_work, args.name)
    if args.json:
        _print_json(campaign_json(campaign, tiers=True))
    else:
        print(campaign_text(campaign))


async def campaigns_create(settings: Settings, args: argparse.Namespace) -> None:
    """Create every campaign of a catalog file as a draft."""
    entries = read_catalog(args.source, SystemClock().now(), settings.pledges.limits)
    async with open_database(settings) as db:
        taken = await existing_slugs(db.unit_of_work)
        clashes = [entry.draft.slug for entry in entries if entry.draft.slug in taken]
        if clashes:
            raise CommandFailed(f"campaign {clashes[0]!r} exists already; nothing created")
        for entry in entries:
            campaign = await create_campaign(db.unit_of_work(), entry.draft)
            print(f"created draft {campaign.slug}")


async def campaigns_publish(settings: Settings, args: argparse.Namespace) -> None:
    """Publish a draft: live at once, or coming soon until its start time."""
    async with open_database(settings) as db:
        found = await any_campaign_named(db.unit_of_work, args.name)
        if found.status is CampaignStatus.IN_REVIEW:
            # Approved from here as from the chat: its creator hears it.
            decision = await approve(
                db.unit_of_work,
                SystemClock(),
                settings.operators.identities,
                None,
                found.id,
                settings.payments.terms,
            )
            campaign = decision.campaign
        else:
            campaign = await publish_campaign(
                db.unit_of_work(), SystemClock(), found.slug, settings.payments.terms
            )
    ends = iso_utc(campaign.ends_at)
    if campaign.status is CampaignStatus.COMING_SOON:
        starts = iso_utc(campaign.starts_at)
        print(f"{campaign.slug} is coming soon: it launches at {starts} and runs until {ends}")
        return
    print(f"{campaign.slug} is live until {ends}")


async def campaigns_close(settings: Settings, args: argparse.Namespace) -> None:
    """Close a live campaign now, funded or not, as if its deadline had passed."""
    async with open_database(settings) as db:
        found = await any_campaign_named(db.unit_of_work, args.name)
        closed = await close_now(db.unit_of_work, SystemClock(), found.slug)
        if closed is None:
            raise CommandFailed(f"{found.slug} is not live ({found.status}); nothing to close")
    raised, goal = closed.raised_money.format("en"), closed.goal.format("en")
    print(f"closed {closed.slug}: {closed.status}, {raised} of {goal} ({closed.percent}%)")


async def campaigns_backers(settings: Settings, args: argparse.Namespace) -> None:
    """A campaign's backers for fulfilment: an aligned table, or CSV."""
    async with open_database(settings) as db:
        slug = (await any_campaign_named(db.unit_of_work, args.name)).slug
        rows = await campaign_backers(db.unit_of_work, slug)
    if args.csv:
        sys.stdout.write(backers_csv(rows))
    elif rows:
        print(backers_table(rows))
    else:
        print(f"{slug} has no backers")


async def creators_list(settings: Settings, args: argparse.Namespace) -> None:
    """Every creator's payout account and where its onboarding stands."""
    async with open_database(settings) as db, db.unit_of_work() as uow:
        accounts = await uow.payout_accounts.list_all()
    print(accounts_table(accounts) if accounts else "no payout accounts")


async def creators_statement(settings: Settings, args: argparse.Namespace) -> None:
    """A campaign's payments, Backit's fee on each and what its creator receives: an aligned
    table with totals, or CSV."""
    async with open_database(settings) as db:
        campaign = await any_campaign_named(db.unit_of_work, args.name)
        async with db.unit_of_work() as uow:
            sheet = statement(campaign, await uow.pledges.of_campaign(campaign.id))
    if args.csv:
        sys.stdout.write(statement_csv(sheet))
    elif sheet.lines:
        print(statement_table(sheet))
    else:
        print(f"{campaign.slug} has no payments")


async def campaigns_cancel(settings: Settings, args: argparse.Namespace) -> None:
    """Call a campaign off: nobody is charged, and flexible payments are refunded."""
    async with (
        stripe_gateway(settings, "backit campaigns cancel") as gateway,
        open_database(settings) as db,
    ):
        slug = (await any_campaign_named(db.unit_of_work, args.name)).slug
        try:
            settlement = await cancel_campaign(
                db.unit_of_work,
                SystemClock(),
                gateway,
                settings.operators.identities,
                None,
                slug,
            )
        except PaymentUnavailable:
            raise CommandFailed(
                f"{slug} is cancelled, but Stripe could not settle every pledge; "
                "`backit run` with payments on finishes once Stripe answers"
            ) from None
    print(
        f"cancelled {slug}: {_pledges(settlement.refunded)} refunded, "
        f"{_pledges(settlement.released)} released; nobody will be charged"
    )


async def payments_reconcile(settings: Settings, args: argparse.Namespace) -> None:
    """Apply whatever Stripe recorded in the last days that Backit missed."""
    clock = SystemClock()
    since = clock.now() - timedelta(days=args.days)
    async with (
        stripe_gateway(settings, "backit payments reconcile") as gateway,
        open_database(settings) as db,
    ):
        result = await reconcile(db.unit_of_work, clock, gateway, since)
        slugs = await _campaign_slugs(db.unit_of_work, [o.pledge_id for o in result.repaired])
        # Creators' accounts and transfers: their events may have been missed as well.
        payouts = (
            await reconcile_payouts(db.unit_of_work, clock, gateway)
            if settings.payments.connect
            else None
        )
    print(f"examined {result.examined} Stripe events since {iso_utc(since)}")
    if result.repaired:
        print(f"repaired {_pledges(len(result.repaired))}:")
        rows = [["PLEDGE", "CAMPAIGN", "KIND"]]
        rows += [[str(o.pledge_id), slugs[o.pledge_id], str(o.kind)] for o in result.repaired]
        print(table(rows))
    else:
        print("nothing to repair")
    if payouts is not None:
        accounts = f"{payouts.accounts} account" + ("" if payouts.accounts == 1 else "s")
        transfers = f"{payouts.transfers} transfer" + ("" if payouts.transfers == 1 else "s")
        print(f"creators' payouts: repaired {accounts} and {transfers}")
    if result.anomalies:
        print(_anomalies(result.anomalies))


async def payments_resolve(settings: Settings, args: argparse.Namespace) -> None:
    """Mark a payment anomaly looked into, so reconcile lists it no more."""
    async with open_database(settings) as db:
        if not await resolve_anomaly(db.unit_of_work, SystemClock(), args.anomaly):
            raise CommandFailed(f"there is no unresolved anomaly {args.anomaly}")
    print(f"anomaly {args.anomaly} resolved")


def _anomalies(anomalies: Sequence[PaymentAnomaly]) -> str:
    """The Stripe events recorded instead of applied, for an operator to look into."""
    count = len(anomalies)
    rows = [["ANOMALY", "RECORDED", "EVENT", "TYPE", "PLEDGE", "REASON"]]
    rows += [
        [
            str(a.id),
            iso_utc(a.recorded_at),
            a.event_id or "-",
            a.event_type or "-",
            "-" if a.pledge_id is None else str(a.pledge_id),
            a.reason,
        ]
        for a in anomalies
    ]
    noun = "event" if count == 1 else "events"
    return (
        f"{count} unresolved Stripe {noun} not applied (anomalies; "
        f"`backit payments resolve ANOMALY` once looked into):\n{table(rows)}"
    )


async def _campaign_slugs(uows: UnitOfWorkFactory, pledge_ids: list[int]) -> dict[int, str]:
    """The slug of each pledge's campaign."""
    slugs: dict[int, str] = {}
    async with uows() as uow:
        for pledge_id in pledge_ids:
            pledge = await uow.pledges.get(pledge_id)
            assert pledge is not None, "a repaired pledge exists"
            campaign = await uow.campaigns.get(pledge.campaign_id)
            assert campaign is not None, "a pledge's campaign is never deleted"
            slugs[pledge_id] = campaign.slug
    return slugs


def _pledges(count: int) -> str:
    return f"{count} pledge" if count == 1 else f"{count} pledges"


async def dispatch(settings: Settings, args: argparse.Namespace) -> None:
    """Deliver notifications until stopped, or (--once) what is due now."""
    if not delivers(settings):
        raise CommandFailed(
            "no platform to deliver on: set TELEGRAM_BOT_TOKEN or DISCORD_BOT_TOKEN"
        )
    async with open_database(settings) as db:
        # Milestones go with their picture here too, drawn in this process.
        pictures = card_images(covers=partial(cover_jpeg, db.unit_of_work))
        dispatcher = DispatcherComponent(
            settings, db.unit_of_work, SystemClock(), card_images=pictures
        )
        if args.once:
            await dispatcher.drain()
        else:
            await run_until_signalled([dispatcher])


async def outbox_status(settings: Settings, args: argparse.Namespace) -> None:
    """Messages by delivery state, and the latest failures."""
    async with open_database(settings) as db, db.unit_of_work() as uow:
        counts = await uow.outbox.status_counts()
        failures = await uow.outbox.latest_failures(args.failures)
    print(table([["STATE", "MESSAGES"], *([str(s), str(n)] for s, n in counts.items())]))
    if failures:
        print()
        print("LATEST FAILURES")
        print(
            table(
                [
                    ["ID", "STATE", "ATTEMPTS", "PLATFORM", "RECIPIENT", "EVENT", "ERROR"],
                    *(
                        [
                            str(message.id),
                            str(message.status),
                            str(message.attempts),
                            str(message.recipient.platform),
                            f"{message.recipient.kind} {message.recipient.address}",
                            message.notification.event_key,
                            message.last_error or "",
                        ]
                        for message in failures
                    ),
                ]
            )
        )


async def run(settings: Settings, args: argparse.Namespace) -> None:
    """Run every enabled component until SIGTERM or SIGINT; with no accounts configured (or
    --sandbox), against local stand-ins of Telegram, Discord and Stripe."""
    if args.sandbox or (wanted(settings) and not args.no_sandbox):
        await _run_sandbox(settings)
        return
    # Half-configured payments stop the process before it touches anything.
    payments = settings.secrets.payments()
    async with Database.connect(settings.database_url) as db:
        parts = components(settings, payments, db.unit_of_work, db.counters)
        # After the settings, which say more precisely what is wrong when both are.
        await check_usable(settings.database_url)
        await run_until_signalled(parts)


async def _run_sandbox(settings: Settings) -> None:
    sandbox = Sandbox(settings)
    await sandbox.start()
    try:
        settings = sandbox.settings(settings)
        async with open_database(settings) as db:
            # Before the scheduler starts: it may close and charge a campaign at once, paying
            # its creator's account.
            terms = settings.payments.terms
            await sandbox.open_payout_accounts(db.unit_of_work, SystemClock(), terms)
            await sandbox.save_demo_cards(db.unit_of_work, SystemClock())
            page = sandbox.routes(db.unit_of_work, SystemClock(), terms)
            parts = [
                *components(
                    settings,
                    settings.secrets.payments(),
                    db.unit_of_work,
                    db.counters,
                    [page],
                    Sandbox.telegram_page(settings),
                ),
                PageStreams(sandbox.world),
            ]
            print(banner(settings), flush=True)
            await run_until_signalled(parts)
    finally:
        # After every component: the bots and the web server talk to the stand-ins to the end.
        await sandbox.stop()
