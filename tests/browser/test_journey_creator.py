"""A creator's journey on the sandbox's chat page, in a real browser: their campaigns and a
dashboard, the backers exported as a file, an update nobody would receive yet (and the warning
before it goes), the updates archive, /ambassadors asked about someone else's campaign, and a
photo sent to become the card's cover; on Telegram and Discord, in English and French."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Sandbox
from tests.browser.test_sandbox_page import bot_messages, say, send_command, shot

# The sandbox's "you" on Telegram (adapters/standins/sandbox/places.py).
TELEGRAM_YOU = "700000001"
SLUG = "sams-stools"
TITLE = "Sam's Oak Stools"
# A demo campaign Sam did not create.
SOMEONE_ELSES = "maree-lampe"
SHEET = f"{SLUG}-backers.csv"
CATALOG = """
[[campaigns]]
slug = "{slug}"
title = "{title}"
blurb = "Three-legged stools turned from storm-felled oak."
creator = "Sam Sandbox"
creators = ["telegram:{telegram}", "discord:{discord}"]
category = "design"
currency = "EUR"
goal = "2000"
funding = "flexible"
starts = "-1d"
ends = "+20d"

[[campaigns.tiers]]
title = "One stool"
description = "A stool, oiled and signed."
amount = "90"
"""


@pytest.fixture(scope="module", autouse=True)
def sams_campaign(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A live campaign created by you (Sam) on both platforms, nobody following or backing it;
    made by the operator's commands, as a creator's campaign is approved and published."""
    with urllib.request.urlopen(f"{sandbox.url}sandbox/api/state", timeout=5) as answer:  # noqa: S310
        state = json.load(answer)
    catalog: Path = tmp_path_factory.mktemp("creator") / "sams.toml"
    catalog.write_text(
        CATALOG.format(
            slug=SLUG, title=TITLE, telegram=TELEGRAM_YOU, discord=state["discord"]["you"]["id"]
        ),
        encoding="utf-8",
    )
    sandbox.backit("campaigns", "create", "--from", str(catalog))
    sandbox.backit("campaigns", "publish", SLUG)


def in_french(page: Page) -> None:
    """Switch the page (and both bots' answers) to French."""
    page.click("[data-language=fr]")
    expect(page.locator("[data-language=fr]")).to_have_attribute("aria-pressed", "true")


def back_to_english(page: Page) -> None:
    """The process is shared: leave it in English."""
    page.click("[data-language=en]")
    expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")


def newest(page: Page, containing: str | re.Pattern[str]) -> Locator:
    """The bot's latest Telegram message holding that text, once it came."""
    found = bot_messages(page, containing)
    expect(found.last).to_be_visible()
    return found.last


def says_and_waits(page: Page, text: str, answer: str | re.Pattern[str]) -> Locator:
    """Send a message and return the new answer holding that text."""
    answers = bot_messages(page, answer)
    before = answers.count()
    say(page, text)
    expect(answers).to_have_count(before + 1)
    return answers.last


def downloads_the_sheet(page: Page, file: Locator) -> None:
    """The file's link gives the CSV itself, saved under its name."""
    expect(file).to_contain_text(SHEET)
    answer = page.request.get(file.evaluate("link => link.href"))
    assert answer.ok
    assert SHEET in answer.headers["content-disposition"]
    assert answer.body().startswith("\ufeffbacker_number,name,platform,tier,amount".encode())


def exported_on_telegram(page: Page, board: Locator, label: str, caption: str) -> Locator:
    """Press the dashboard's export button and return the file the bot sent."""
    files = bot_messages(page, SHEET)
    before = files.count()
    board.get_by_role("button", name=label).click()
    expect(files).to_have_count(before + 1)
    sent = files.last
    expect(sent).to_contain_text(caption)
    downloads_the_sheet(page, sent.locator(".tg-document"))
    return sent


def test_on_telegram_a_creator_manages_posts_reads_back_and_shares(page: Page) -> None:
    listing = says_and_waits(page, "/mycampaigns", "Your campaigns")
    expect(listing).to_contain_text(TITLE)
    expect(listing).to_contain_text("0 backers")
    shot(page, "creator-telegram-mycampaigns")

    boards = bot_messages(page, "Your campaign ·")
    before = boards.count()
    listing.get_by_role("button", name=re.compile(rf"^\d+\. {re.escape(TITLE)}")).click()
    expect(boards).to_have_count(before + 1)
    board = boards.last
    expect(board).to_contain_text("Raised:")
    expect(board.get_by_role("button", name="Follow")).to_have_count(0)
    for tool in ("Post an update", "Ambassadors", "All updates", "Export backers"):
        expect(board.get_by_role("button", name=tool)).to_be_visible()
    shot(page, "creator-telegram-dashboard")

    sent = exported_on_telegram(page, board, "Export backers", f"0 backers of “{TITLE}”, as of")
    expect(sent.locator(".tg-document")).to_contain_text(re.compile(r"\d+ B"))
    shot(page, "creator-telegram-export")

    board.get_by_role("button", name="Post an update").click()
    expect(newest(page, "Send the text of your update")).to_contain_text(TITLE)
    preview = says_and_waits(page, "The first batch of oak is drying.", "Preview of your update")
    expect(preview).to_contain_text("Nobody follows or has backed this campaign yet")
    shot(page, "creator-telegram-update-warning")
    preview.get_by_role("button", name="Send to everyone following (0 recipients)").click()
    expect(newest(page, "Your update is posted. Nobody receives it for now")).to_be_visible()

    archive = says_and_waits(page, f"/updates {SLUG}", "Updates from")
    expect(archive).to_contain_text("The first batch of oak is drying.")
    shot(page, "creator-telegram-archive")

    shared = says_and_waits(page, f"/ambassadors {SOMEONE_ELSES}", "Your share link for")
    expect(shared).to_contain_text(f"/c/{SOMEONE_ELSES}?ref=")
    expect(shared).to_contain_text("Nobody has backed through your link yet.")
    expect(shared).not_to_contain_text("Ambassadors of")
    shot(page, "creator-telegram-ambassadors-not-creator")


def test_on_telegram_in_french_the_journey_speaks_french(page: Page) -> None:
    in_french(page)
    try:
        listing = says_and_waits(page, "/mycampaigns", "Vos campagnes")
        boards = bot_messages(page, "Votre campagne ·")
        before = boards.count()
        listing.get_by_role("button", name=re.compile(rf"^\d+\. {re.escape(TITLE)}")).click()
        expect(boards).to_have_count(before + 1)
        expect(boards.last.get_by_role("button", name="Publier une actualité")).to_be_visible()
        shot(page, "creator-telegram-dashboard-fr")
        # French counts zero in the singular.
        caption = f"0 contributeur de «\u00a0{TITLE}\u00a0», au"
        exported_on_telegram(page, boards.last, "Exporter les contributeurs", caption)
        shot(page, "creator-telegram-export-fr")

        say(page, f"/update {SLUG}")
        expect(newest(page, "Envoyez le texte de votre actualité")).to_be_visible()
        preview = says_and_waits(page, "Les pieds sont tournés.", "Aperçu de votre actualité")
        # French counts zero in the singular.
        expect(
            preview.get_by_role("button", name="À tous ceux qui suivent (0 destinataire)")
        ).to_be_visible()
        expect(preview).to_contain_text("Personne ne suit ni ne soutient encore cette campagne")
        shot(page, "creator-telegram-update-warning-fr")
        preview.get_by_role("button", name="Annuler").click()

        archive = says_and_waits(page, f"/updates {SLUG}", "Actualités de")
        expect(archive).to_contain_text("Page 1 sur 1")
        shot(page, "creator-telegram-archive-fr")

        shared = says_and_waits(page, f"/ambassadors {SOMEONE_ELSES}", "Votre lien de partage")
        expect(shared).to_contain_text("Personne n’a encore contribué grâce à votre lien.")
        shot(page, "creator-telegram-ambassadors-fr")
    finally:
        back_to_english(page)


def slash(page: Page, command: str) -> Locator:
    """Run a Discord slash command and return the answer only you can see."""
    answers = page.locator(".dc-message.ephemeral")
    before = answers.count()
    send_command(page, command)
    expect(answers).to_have_count(before + 1)
    return answers.last


def pressed(page: Page, message: Locator, label: str | re.Pattern[str]) -> Locator:
    """Press a button of a message and return the new answer only you can see."""
    answers = page.locator(".dc-message.ephemeral")
    before = answers.count()
    message.locator(".dc-button", has_text=label).click()
    expect(answers).to_have_count(before + 1)
    return answers.last


def test_on_discord_a_creator_manages_posts_reads_back_and_shares(page: Page) -> None:
    page.click("#tab-discord")
    listing = slash(page, "/mycampaigns")
    expect(listing.locator(".dc-embed-title")).to_have_text("Your campaigns")
    board = pressed(page, listing, TITLE)
    expect(board.locator(".dc-embed-title")).to_have_text(TITLE)
    expect(board).to_contain_text("Your campaign ·")
    expect(board.locator(".dc-button", has_text="Follow")).to_have_count(0)
    shot(page, "creator-discord-dashboard")

    sent = pressed(page, board, "Export backers")
    expect(sent).to_contain_text(f"0 backers of “{TITLE}”, as of")
    expect(sent).to_contain_text("Only you can see this")
    downloads_the_sheet(page, sent.locator(".dc-attachment"))
    shot(page, "creator-discord-export")
    # The file is now the newest answer: the dashboard is the one before it.
    board = page.locator(".dc-message.ephemeral", has_text="Your campaign ·").last

    board.locator(".dc-button", has_text="Post an update").click()
    form = page.locator("#dc-modal")
    expect(form).to_be_visible()
    form.locator("textarea").first.fill("Seats are being shaped this week.")
    shot(page, "creator-discord-update-form")
    previews = page.locator(".dc-message.ephemeral", has_text="Preview of your update")
    before = previews.count()
    form.get_by_role("button", name="Submit").click()
    expect(previews).to_have_count(before + 1)
    preview = previews.last
    expect(preview).to_contain_text("Nobody follows or has backed this campaign yet")
    expect(
        preview.locator(".dc-button", has_text="Send to backers only (0 recipients)")
    ).to_be_visible()
    shot(page, "creator-discord-update-warning")
    preview.locator(".dc-button", has_text="Send to backers only (0 recipients)").click()
    expect(page.locator(".dc-message.ephemeral").last).to_contain_text(
        "Your update is posted. Nobody receives it for now"
    )

    archive = slash(page, f"/updates {SLUG}")
    expect(archive.locator(".dc-embed-title")).to_contain_text("Updates from")
    expect(archive).to_contain_text("Seats are being shaped this week.")
    expect(archive).to_contain_text("backers only")
    shot(page, "creator-discord-archive")

    shared = slash(page, f"/ambassadors {SOMEONE_ELSES}")
    expect(shared.locator(".dc-embed-title")).to_contain_text("Your share link for")
    expect(shared).to_contain_text(f"/c/{SOMEONE_ELSES}?ref=")
    shot(page, "creator-discord-ambassadors-not-creator")


def test_on_discord_in_french_the_commands_and_answers_are_french(page: Page) -> None:
    in_french(page)
    try:
        page.click("#tab-discord")
        listing = slash(page, "/mescampagnes")
        expect(listing.locator(".dc-embed-title")).to_have_text("Vos campagnes")
        board = pressed(page, listing, TITLE)
        expect(board.locator(".dc-button", has_text="Toutes les actualités")).to_be_visible()
        shot(page, "creator-discord-dashboard-fr")

        sent = pressed(page, board, "Exporter les contributeurs")
        expect(sent).to_contain_text(f"0 contributeur de «\u00a0{TITLE}\u00a0», au")
        downloads_the_sheet(page, sent.locator(".dc-attachment"))
        shot(page, "creator-discord-export-fr")

        archive = slash(page, f"/actualités {SLUG}")
        expect(archive.locator(".dc-embed-title")).to_contain_text("Actualités de")
        shot(page, "creator-discord-archive-fr")

        shared = slash(page, f"/ambassadeurs {SOMEONE_ELSES}")
        expect(shared.locator(".dc-embed-title")).to_contain_text("Votre lien de partage")
        shot(page, "creator-discord-ambassadors-fr")
    finally:
        back_to_english(page)


def test_on_telegram_a_creator_sends_a_photo_that_becomes_the_cards_cover(
    page: Page, tmp_path: Path
) -> None:
    red = tmp_path / "stools.png"
    Image.new("RGB", (1600, 900), (200, 30, 30)).save(red)
    text = tmp_path / "notes.txt"
    text.write_text("not a picture", encoding="utf-8")
    says_and_waits(page, f"/cover {SLUG}", f"Send the picture for the cover of “{TITLE}”")

    page.set_input_files("#tg-photo", str(text))
    expect(page.locator(".toast")).to_contain_text("not a picture this browser can read")
    confirmations = bot_messages(page, f"“{TITLE}” has its new cover.")
    page.set_input_files("#tg-photo", str(red))
    expect(confirmations).to_have_count(1)

    # Your photo shows in the chat as Telegram's app sent it, then the card is drawn over it.
    expect(page.locator(".tg-row.out img.tg-photo-pixels").last).to_be_visible()
    card = says_and_waits(page, f"/campaign {SLUG}", "Raised:")
    picture = card.locator("img.tg-photo-pixels")
    expect(picture).to_have_js_property("naturalWidth", 1200)
    picture.scroll_into_view_if_needed()
    shot(page, "journey-creator-cover")
    drawn = Image.open(io.BytesIO(page.request.get(picture.evaluate("i => i.src")).body()))
    red_level, green, blue = drawn.convert("RGB").getpixel((1160, 40))  # type: ignore[misc]
    assert red_level > 3 * max(green, blue)
