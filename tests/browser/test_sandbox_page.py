"""The sandbox's chat page in a real browser, against `backit run --sandbox`: discovering,
paying on the checkout page, milestones reaching a group, Discord's commands and components."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ARTIFACTS, Sandbox

GOOD_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
BOT = "backit_sandbox_bot"
# A demo campaign at 86% of its goal, and one no other test pledges to at its price. You pledge
# to neither on Telegram in the other modules sharing the process.
NEARLY_FUNDED = "maree-lampe"
BOARD_GAME = "lanternfall"
CHEAPEST_GAME = re.compile(r"^Print and play")


def say(page: Page, text: str) -> None:
    """Type in the open Telegram chat and send."""
    page.fill("#tg-input", text)
    page.press("#tg-input", "Enter")


def send_command(page: Page, text: str) -> None:
    """Type a Discord slash command in the open channel and send it as typed."""
    # The composer asks for suggestions as it is typed; once they show, Enter takes the
    # highlighted one, as Discord's does. Escape closes them, whenever their answer comes.
    asking = page.expect_response(lambda response: response.url.endswith("/discord/autocomplete"))
    with asking as asked:
        page.fill("#dc-input", text)
    if asked.value.json()["suggestions"]:
        expect(page.locator("#dc-suggestions")).to_be_visible()
        page.press("#dc-input", "Escape")
    page.press("#dc-input", "Enter")


def bot_messages(page: Page, containing: str | re.Pattern[str]) -> Locator:
    """The bot's messages in the open Telegram chat that hold that text."""
    return page.locator("#tg-messages .tg-row.in", has_text=containing)


def open_card(page: Page, slug: str) -> Locator:
    """Ask the bot for a campaign's card in the open chat and return it once it came."""
    cards = bot_messages(page, "Raised:")
    shown = cards.count()
    say(page, f"/campaign {slug}")
    expect(cards).to_have_count(shown + 1)
    return cards.last


def figures(card: Locator) -> tuple[Decimal, int]:
    """A card's raised amount (in major units) and number of backers."""
    text = card.inner_text()
    raised = re.search(r"Raised: \D*([\d,.]+) of", text)
    backers = re.search(r"Backers: (\d+)", text)
    assert raised is not None, text
    assert backers is not None, text
    return Decimal(raised[1].replace(",", "")), int(backers[1])


def reward_link(page: Page, card: Locator, reward: str | re.Pattern[str]) -> Locator:
    """The button that opens a reward's checkout: on the card, or once the person backed the
    campaign, under the question the reward then asks first."""
    if not re.search("You backed this|You pledged", card.inner_text()):
        return card.get_by_role("button", name=reward)
    asked = bot_messages(page, "You already backed this")
    shown = asked.count()
    card.get_by_role("button", name=reward).click()
    expect(asked).to_have_count(shown + 1)
    return asked.last.get_by_role("button", name="Add a second pledge")


def pay(page: Page, button: Locator, card_number: str) -> Page:
    """Tap a pledge button, fill in the checkout page it opens and submit; the checkout tab."""
    with page.context.expect_page() as opened:
        button.click()
    checkout = opened.value
    checkout.wait_for_load_state()
    checkout.fill("[name=email]", "sam@example.org")
    if checkout.locator("[name=shipping_name]").count():
        checkout.fill("[name=shipping_name]", "Sam Sandbox")
        checkout.select_option("[name=country]", "FR")
        checkout.fill("[name=line1]", "12 quai de la Fosse")
        checkout.fill("[name=postal_code]", "44000")
        checkout.fill("[name=city]", "Nantes")
    checkout.fill("[name=card_number]", card_number)
    checkout.fill("[name=expiry]", "12 / 34")
    checkout.fill("[name=cvc]", "123")
    checkout.fill("[name=name]", "Sam Sandbox")
    checkout.screenshot(path=ARTIFACTS / "checkout.png")
    checkout.click("button[type=submit]")
    checkout.wait_for_load_state()
    return checkout


def shot(page: Page, name: str) -> None:
    """Keep a screenshot of the page as it is now."""
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def test_a_backer_discovers_a_campaign_pays_and_sees_the_receipt_and_the_new_total(
    page: Page,
) -> None:
    say(page, "/discover")
    # Trending follows the last two days' pledges; the most backed list holds the board game.
    page.locator(".tg-key", has_text="Most backed").last.click()
    page.locator(".tg-key", has_text="Lanternfall").last.click()
    card = bot_messages(page, "Raised:").last
    expect(card).to_contain_text("Lanternfall")
    raised, backers = figures(card)
    # The card is its picture, uploaded by the bot, shown with its own pixels.
    picture = card.locator("img.tg-photo-pixels")
    expect(picture).to_have_js_property("naturalWidth", 1200)
    first_picture = picture.get_attribute("src")
    picture.scroll_into_view_if_needed()
    shot(page, "telegram-card")

    checkout = pay(page, card.get_by_role("button", name=CHEAPEST_GAME), GOOD_CARD)
    expect(checkout.locator("body")).to_contain_text("You are backer #")
    shot(checkout, "thanks")
    checkout.close()

    expect(bot_messages(page, "Pledge saved for Lanternfall")).to_have_count(1)
    shot(page, "telegram-receipt")
    new_card = open_card(page, BOARD_GAME)
    shot(page, "telegram-new-total")
    assert figures(new_card) == (raised + 12, backers + 1)
    # The new total is a new picture.
    new_picture = new_card.locator("img.tg-photo-pixels")
    expect(new_picture).to_have_js_property("naturalWidth", 1200)
    assert new_picture.get_attribute("src") != first_picture


def test_a_declined_card_says_so_on_the_checkout_page_and_changes_nothing(page: Page) -> None:
    card = open_card(page, BOARD_GAME)
    before = figures(card)
    receipts = bot_messages(page, "Pledge saved for").count()

    # Backed in the test before: the reward asks before a second pledge.
    second = reward_link(page, card, CHEAPEST_GAME)
    shot(page, "telegram-already-backed")
    checkout = pay(page, second, DECLINED_CARD)
    expect(checkout.get_by_role("alert")).to_contain_text("Your card was declined")
    shot(checkout, "checkout-declined")
    checkout.close()

    assert figures(open_card(page, BOARD_GAME)) == before
    assert bot_messages(page, "Pledge saved for").count() == receipts


def test_a_group_following_a_campaign_hears_its_milestone_after_another_pledge(
    page: Page,
) -> None:
    page.click("[data-chat=group]")
    # The group's history holds what other modules said there: each count is of new messages.
    linked = bot_messages(page, "is linked to this group")
    announcing = bot_messages(page, "Announcements are on")
    milestone = bot_messages(page, "is funded!")
    before = linked.count(), announcing.count(), milestone.count()
    say(page, f"/link {NEARLY_FUNDED}")
    expect(linked).to_have_count(before[0] + 1)
    say(page, "/announce on")
    expect(announcing).to_have_count(before[1] + 1)
    open_card(page, NEARLY_FUNDED).get_by_role("button", name="Follow").click()
    expect(page.locator(".toast")).to_contain_text("You follow")

    # Another pledge, from the private chat: enough to cross the goal.
    page.click("[data-chat=private]")
    card = open_card(page, NEARLY_FUNDED)
    raised, _ = figures(card)
    amount = int(Decimal(12_000) - raised) + 1
    asked = bot_messages(page, "How much would you like to pledge to")
    shown = asked.count()
    card.get_by_role("button", name="Pledge without a reward").click()
    expect(asked).to_have_count(shown + 1)
    say(page, str(amount))
    offer = bot_messages(page, f"with €{amount:,}.00").last
    checkout = pay(page, offer.get_by_role("button", name=re.compile(r"^Pledge €")), GOOD_CARD)
    checkout.close()

    group = page.locator("[data-chat=group]")
    expect(group.locator(".badge")).to_be_visible()
    group.click()
    expect(milestone).to_have_count(before[2] + 1)
    expect(milestone.last).to_contain_text("Maréa")
    shot(page, "telegram-group-milestone")


def test_sharing_a_campaign_inline_posts_its_card_in_the_group_as_yours(page: Page) -> None:
    page.click("[data-chat=group]")

    page.fill("#tg-input", f"@{BOT} lantern")
    result = page.locator(".tg-result", has_text="Lanternfall").first
    expect(result).to_be_visible()
    shot(page, "telegram-inline")
    result.click()

    shared = page.locator("#tg-messages .tg-row.out", has_text=f"via @{BOT}").last
    expect(shared).to_contain_text("Lanternfall")
    expect(shared.locator(".tg-key").first).to_be_visible()
    expect(page.locator("#tg-input")).to_have_value("")


def test_discord_commands_show_embeds_buttons_and_replies_only_you_can_see(page: Page) -> None:
    page.click("#tab-discord")
    composer = page.locator("#dc-input")

    composer.fill("/discover")
    composer.press("Enter")
    listing = page.locator(".dc-message", has=page.locator(".dc-embed")).last
    expect(listing.locator(".dc-embed-title")).to_have_text("Trending")
    expect(listing.locator(".dc-used")).to_contain_text("used /discover")
    shot(page, "discord-discover")
    listing.locator(".dc-button", has_text="Maréa").click()
    private = page.locator(".dc-message.ephemeral").last
    expect(private).to_contain_text("Only you can see this")
    expect(private.locator(".dc-embed-title")).to_contain_text("Maréa")
    shot(page, "discord-only-you")

    composer.fill("/campaign lant")
    page.locator(".dc-suggestion", has_text="Lanternfall").click()
    expect(composer).to_have_value(f"/campaign {BOARD_GAME}")
    composer.press("Enter")
    public = page.locator(".dc-message:not(.ephemeral)", has=page.locator(".dc-embed")).last
    expect(public.locator(".dc-embed-title")).to_contain_text("Lanternfall")
    expect(public.locator(".dc-field-name").first).to_be_visible()
    shot(page, "discord-card")


def test_in_french_both_bots_answer_in_french(page: Page) -> None:
    page.click("[data-language=fr]")
    try:
        welcomes = bot_messages(page, "Bienvenue sur Backit")
        shown = welcomes.count()
        say(page, "/start")
        expect(welcomes).to_have_count(shown + 1)
        # French typography: the percent sign and the colon held apart by a no-break space.
        cards = bot_messages(page, "Collecté\u00a0:")
        shown = cards.count()
        say(page, f"/campaign {NEARLY_FUNDED}")
        expect(cards).to_have_count(shown + 1)
        expect(cards.last).to_contain_text(re.compile(r"\d\u00a0%"))
        shot(page, "telegram-card-fr")
        page.click("#tab-discord")
        page.fill("#dc-input", "/découvrir")
        page.press("#dc-input", "Enter")
        listing = page.locator(".dc-message", has=page.locator(".dc-embed")).last
        expect(listing.locator(".dc-embed-title")).to_have_text("Tendances")
        expect(listing).to_contain_text(re.compile(r"\d\u00a0% · "))
        shot(page, "discord-list-fr")
    finally:
        # The process is shared: leave it in English.
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def test_closing_a_campaign_from_the_page_says_how_it_ended_in_the_pages_language(
    page: Page,
) -> None:
    closing = page.locator("#closing")
    expect(closing).to_be_visible()
    page.click("[data-language=fr]")
    try:
        # A list of live campaigns when the composition gives one; a slug to type otherwise.
        if page.locator("#closing-choice").is_visible():
            page.select_option("#closing-choice", "smoke-and-salt")
        else:
            page.fill("#closing-slug", "smoke-and-salt")

        closing.get_by_role("button", name="Clôturer").click()

        said = page.locator(".toast")
        expect(said).to_contain_text(
            re.compile(
                r"^«\u00a0Smoke & Salt[^»]*\u00a0» clôturée\u00a0: .+, "
                r"à \d+\u00a0% de son objectif\.$"
            )
        )
        shot(page, "closed-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


SAMS_DRAFT = """
[[campaigns]]
slug = "sams-kiln"
title = "Sam's Kiln"
blurb = "A kiln for the street."
creator = "Sam"
creators = ["telegram:700000001"]
category = "art"
currency = "EUR"
goal = "500"
funding = "flexible"
status = "draft"
starts = "-1d"
ends = "+20d"
"""


def test_publishing_a_draft_from_the_page_waits_for_its_creators_payouts(
    page: Page, sandbox: Sandbox
) -> None:
    catalog = sandbox.home / "sams-draft.toml"
    catalog.write_text(SAMS_DRAFT, encoding="utf-8")
    sandbox.backit("campaigns", "create", "--from", str(catalog))
    page.reload()
    publishing = page.locator("#publishing")
    expect(publishing).to_be_visible()

    # You have not set up payouts (no module sharing the process does): the page says why it
    # cannot be published.
    page.select_option("#publishing-choice", "sams-kiln")
    publishing.get_by_role("button", name="Publish").click()
    alert = page.locator("#alert")
    expect(alert).to_contain_text("The creator finishes setting it up with /payouts.")
    shot(page, "publish-refused")
    alert.get_by_role("button", name="OK").click()

    # The demo's draft has its creator's account, onboarded as the sandbox started, and starts
    # in three days: published, it is coming soon. Other modules' drafts may be listed too.
    drafts = page.locator("#publishing-choice option")
    listed = drafts.count()
    page.select_option("#publishing-choice", "fresque-des-quais")
    publishing.get_by_role("button", name="Publish").click()
    expect(page.locator(".toast")).to_contain_text(
        "La fresque des quais de Saône is coming soon: it can be discovered and followed, and "
        "launches at its start time."
    )
    expect(drafts).to_have_count(listed - 1)
