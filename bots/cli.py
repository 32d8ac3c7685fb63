"""The `backit` command line: parse arguments, load settings, run one command, set the exit code."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters.storage import DatabaseUnusable
from bots import commands
from bots.catalog import CatalogError
from bots.config import ConfigError, load_settings
from bots.logs import logging_to_stderr
from core.errors import DomainError
from core.ids import parse_id

EXIT_FAILED = 1
EXIT_BAD_CONFIG = 2
# Stripe keeps events for 30 days; reconciling reads them back.
MAX_RECONCILE_DAYS = 30


def _days(text: str) -> int:
    """A number of days to look back, from 1 to MAX_RECONCILE_DAYS."""
    try:
        days = int(text)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_RECONCILE_DAYS:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of days from 1 to {MAX_RECONCILE_DAYS}, got {text!r}"
        )
    return days


def _positive(text: str) -> int:
    """A whole number from 1 up."""
    number = parse_id(text)
    if number is None or number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, got {text!r}")
    return number


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per operator task."""
    parser = argparse.ArgumentParser(
        prog="backit", description="Run and manage a Backit crowdfunding platform."
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help="settings file (default: $BACKIT_CONFIG, else ./config.toml, else the built-in one)",
    )
    tasks = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    db = tasks.add_parser("db", help="manage the database schema")
    db_tasks = db.add_subparsers(title="commands", required=True, metavar="COMMAND")
    db_tasks.add_parser("upgrade", help="migrate to the latest schema").set_defaults(
        handler=commands.db_upgrade
    )

    seed = tasks.add_parser("seed", help="create campaigns from a catalog, with demo backers")
    seed.add_argument("file", nargs="?", type=Path, help="catalog file (default: the demo catalog)")
    seed.add_argument(
        "--if-empty", action="store_true", help="seed only when there is no campaign at all"
    )
    seed.set_defaults(handler=commands.seed)

    campaigns = tasks.add_parser(
        "campaigns", help="list, review, show, create, publish, close, cancel; export backers"
    )
    campaign_tasks = campaigns.add_subparsers(title="commands", required=True, metavar="COMMAND")
    listing = campaign_tasks.add_parser("list", help="every campaign")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=commands.campaigns_list)
    review = campaign_tasks.add_parser(
        "review", help="campaigns their creators submitted, waiting for review"
    )
    review.add_argument("--json", action="store_true", help="machine-readable output")
    review.set_defaults(handler=commands.campaigns_review)
    show = campaign_tasks.add_parser("show", help="one campaign with its tiers")
    show.add_argument(
        "name", metavar="NAME", help="the campaign's slug or title (its start is enough)"
    )
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=commands.campaigns_show)
    create = campaign_tasks.add_parser("create", help="create drafts from a catalog file")
    create.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE")
    create.set_defaults(handler=commands.campaigns_create)
    publish = campaign_tasks.add_parser("publish", help="make a draft live")
    publish.add_argument(
        "name", metavar="NAME", help="the campaign's slug or title (its start is enough)"
    )
    publish.set_defaults(handler=commands.campaigns_publish)
    close = campaign_tasks.add_parser("close", help="close a live campaign now")
    close.add_argument(
        "name", metavar="NAME", help="the campaign's slug or title (its start is enough)"
    )
    close.set_defaults(handler=commands.campaigns_close)
    cancel = campaign_tasks.add_parser(
        "cancel", help="call a campaign off: refund flexible payments, charge nobody (Stripe)"
    )
    cancel.add_argument(
        "name", metavar="NAME", help="the campaign's slug or title (its start is enough)"
    )
    cancel.set_defaults(handler=commands.campaigns_cancel)
    backers = campaign_tasks.add_parser("backers", help="a campaign's backers, for fulfilment")
    backers.add_argument(
        "name", metavar="NAME", help="the campaign's slug or title (its start is enough)"
    )
    backers.add_argument("--csv", action="store_true", help="CSV with a header row")
    backers.set_defaults(handler=commands.campaigns_backers)

    creators = tasks.add_parser(
        "creators", help="creators' payout accounts, and what each campaign pays its creator"
    )
    creator_tasks = creators.add_subparsers(title="commands", required=True, metavar="COMMAND")
    creator_tasks.add_parser(
        "list", help="every payout account and where its onboarding stands"
    ).set_defaults(handler=commands.creators_list)
    statement = creator_tasks.add_parser(
        "statement", help="a campaign's payments: amount, Backit's fee, net, transfer"
    )
    statement.add_argument(
        "name", metavar="SLUG", help="the campaign's slug or title (its start is enough)"
    )
    statement.add_argument("--csv", action="store_true", help="CSV with a header row")
    statement.set_defaults(handler=commands.creators_statement)

    payments = tasks.add_parser("payments", help="check payments against Stripe")
    payment_tasks = payments.add_subparsers(title="commands", required=True, metavar="COMMAND")
    reconcile = payment_tasks.add_parser(
        "reconcile", help="apply what Stripe recorded that Backit missed (Stripe)"
    )
    reconcile.add_argument(
        "--days",
        type=_days,
        default=3,
        metavar="N",
        help=f"how far back to read Stripe's events (default 3, at most {MAX_RECONCILE_DAYS})",
    )
    reconcile.set_defaults(handler=commands.payments_reconcile)
    resolve = payment_tasks.add_parser(
        "resolve", help="mark a payment anomaly looked into, so reconcile lists it no more"
    )
    resolve.add_argument("anomaly", type=_positive, metavar="ANOMALY", help="its number")
    resolve.set_defaults(handler=commands.payments_resolve)

    dispatch = tasks.add_parser(
        "dispatch", help="deliver notifications (Telegram and/or Discord) until stopped"
    )
    dispatch.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    dispatch.set_defaults(handler=commands.dispatch)

    outbox = tasks.add_parser("outbox", help="notifications waiting or delivered")
    outbox_tasks = outbox.add_subparsers(title="commands", required=True, metavar="COMMAND")
    status = outbox_tasks.add_parser("status", help="messages by state, and the latest failures")
    status.add_argument(
        "--failures", type=_positive, default=10, metavar="N", help="failures shown (default 10)"
    )
    status.set_defaults(handler=commands.outbox_status)

    run = tasks.add_parser(
        "run",
        help="run the enabled components until stopped; with no accounts set, the sandbox",
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument(
        "--sandbox",
        action="store_true",
        help="run against local stand-ins of Telegram, Discord and Stripe, whatever is set",
    )
    mode.add_argument(
        "--no-sandbox",
        action="store_true",
        help="with no accounts set, run only what needs none (the scheduler)",
    )
    run.set_defaults(handler=commands.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one backit command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config, os.environ)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_CONFIG
    with logging_to_stderr(settings.log.level):
        try:
            asyncio.run(args.handler(settings, args))
        except (ConfigError, DatabaseUnusable) as error:
            # Settings only some commands need, such as the secrets of payments, and the
            # database, found missing, read-only or not migrated before anything else runs.
            print(f"error: {error}", file=sys.stderr)
            return EXIT_BAD_CONFIG
        except DomainError as error:
            print(f"error: {error.user_message()}", file=sys.stderr)
            return EXIT_FAILED
        except (CatalogError, commands.CommandFailed) as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_FAILED
    return 0
