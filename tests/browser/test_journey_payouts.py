"""A new creator's way to being paid on the sandbox's chat page, in a real browser: /payouts,
Stripe's onboarding and back, the draft published, a backer's pledge, and the creator's money
less Backit's fee; on Telegram in English, then on Discord in French with the same account."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Sandbox, own_sandbox
from tests.browser.test_journey_creator import back_to_english, in_french, newest, slash
from tests.browser.test_sandbox_page import GOOD_CARD, open_card, pay, say, shot

SLUG = "sams-forge"
TITLE = "Sam's Forge"
DRAFT = """
[[campaigns]]
slug = "{slug}"
title = "{title}"
blurb = "A community forge by the river."
creator = "Sam Sandbox"
creators = ["telegram:700000001", "discord:{discord}"]
category = "art"
currency = "EUR"
goal = "800"
funding = "flexible"
status = "draft"
starts = "-1d"
ends = "+20d"

[[campaigns.tiers]]
title = "A hook"
description = "A hand-forged coat hook."
amount = "40"
"""


@pytest.fixture(scope="module")
def sandbox(seeded: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A process of the module's own, where you have set up no payouts and have spoken only
    English: the page Stripe's onboarding returns to speaks the language of your last pledge,
    follow or share link, and in the shared process that was French in another module."""
    home = tmp_path_factory.mktemp("payouts")
    with own_sandbox(seeded, home, "backit-payouts.log") as own:
        yield own


@pytest.fixture(scope="module", autouse=True)
def sams_draft(sandbox: Sandbox) -> None:
    """A draft by you on both platforms, as /newcampaign leaves one."""
    with urllib.request.urlopen(f"{sandbox.url}sandbox/api/state", timeout=5) as answer:  # noqa: S310
        state = json.load(answer)
    catalog = sandbox.home / "sams-forge.toml"
    catalog.write_text(
        DRAFT.format(slug=SLUG, title=TITLE, discord=state["discord"]["you"]["id"]),
        encoding="utf-8",
    )
    sandbox.backit("campaigns", "create", "--from", str(catalog))


def test_on_telegram_a_new_creator_onboards_publishes_is_backed_and_sees_the_fee(
    page: Page,
) -> None:
    # Not onboarded yet: the page refuses to publish and names the step.
    page.reload()
    page.select_option("#publishing-choice", SLUG)
    page.locator("#publishing").get_by_role("button", name="Publish").click()
    alert = page.locator("#alert")
    expect(alert).to_contain_text("/payouts")
    alert.get_by_role("button", name="OK").click()

    say(page, "/payouts")
    setup = newest(page, "Stripe asks who you are")
    expect(setup).to_contain_text("Payments: not yet")
    shot(page, "journey-payouts-setup")
    with page.context.expect_page() as opened:
        setup.get_by_role("button", name="Set up payouts").click()
    onboarding = opened.value
    onboarding.wait_for_load_state()
    shot(onboarding, "journey-payouts-onboarding")
    onboarding.locator("button[type=submit]").click()
    onboarding.wait_for_load_state()
    expect(onboarding.locator("h1")).to_have_text("Your payout account is ready")
    expect(onboarding.locator("main")).to_contain_text("Payments: on")
    shot(onboarding, "journey-payouts-ready")
    expect(onboarding.get_by_role("link", name="Back to Telegram")).to_be_visible()
    onboarding.close()

    say(page, "/payouts")
    ready = newest(page, "Your payout account")
    expect(ready).to_contain_text("Payouts to your bank: on.")
    expect(ready.get_by_role("button", name="Open your Stripe dashboard")).to_be_visible()

    page.select_option("#publishing-choice", SLUG)
    page.locator("#publishing").get_by_role("button", name="Publish").click()
    expect(page.locator(".toast")).to_contain_text(f"{TITLE} is live")

    card = open_card(page, SLUG)
    checkout = pay(page, card.get_by_role("button", name=re.compile("^A hook")), GOOD_CARD)
    expect(checkout.locator("h1")).to_have_text("Thank you!")
    checkout.close()
    say(page, "/mycampaigns")
    # €40.00 less 5 % and €0.30: €37.70 for the creator.
    money = newest(page, "Your campaigns")
    expect(money).to_contain_text("Raised: €40.00 · Backit's fee: €2.30")
    expect(money).to_contain_text("You receive: €37.70")
    shot(page, "journey-payouts-mycampaigns")


def test_on_discord_in_french_the_same_creator_finds_the_account_and_its_dashboard(
    page: Page,
) -> None:
    page.click("#tab-discord")
    in_french(page)
    try:
        answer = slash(page, "/versements")
        expect(answer).to_contain_text("Votre compte de versement")
        expect(answer).to_contain_text("Paiements\u00a0: activés")
        shot(page, "journey-payouts-discord-fr")
        with page.context.expect_page() as opened:
            answer.get_by_role("button", name="Ouvrir votre tableau de bord Stripe").click()
        dashboard = opened.value
        dashboard.wait_for_load_state()
        expect(dashboard.locator("body")).to_contain_text("€37.70")
        shot(dashboard, "journey-payouts-dashboard")
        dashboard.close()
        listing = slash(page, "/mescampagnes")
        expect(listing).to_contain_text("Vous recevez\u00a0: 37,70\u00a0€")
    finally:
        back_to_english(page)
