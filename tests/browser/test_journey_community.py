"""A community links a campaign without typing its name, and its list then marks it: on
Telegram (a picker under /link) and on Discord (/backit link's suggestions), in English and
French, against `backit run --sandbox` in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Sandbox
from tests.browser.test_sandbox_page import bot_messages, say, shot

LINKED = re.compile(r"“(.+)” is linked to this group\.")
LIE = re.compile(r"«\u00a0(.+)\u00a0» est liée à ce groupe\.")


def live_titles(page: Page, sandbox: Sandbox) -> re.Pattern[str]:
    """Any live campaign's title, as the page's operator controls list them: pickers offer
    your own campaigns first, drafts too (other modules sharing the process make some), and
    the lists only show live ones."""
    answer = page.request.get(f"{sandbox.url}sandbox/api/campaigns")
    assert answer.ok, answer.text()
    titles = [campaign["title"] for campaign in answer.json()["campaigns"]]
    return re.compile("|".join(re.escape(title) for title in titles))


def discord_list(page: Page) -> Locator:
    """The latest list the Discord bot posted."""
    return page.locator(".dc-message", has=page.locator(".dc-embed")).last


def link_on_telegram(
    page: Page, question: str, done: re.Pattern[str], live: re.Pattern[str]
) -> str:
    """In the group, /link with no name, pick the first live campaign offered; its title."""
    page.click("[data-chat=group]")
    # The group keeps what was said in it before, by other tests too: only new answers count.
    pickers, outcomes = bot_messages(page, question), bot_messages(page, done)
    offered, linked = pickers.count(), outcomes.count()
    say(page, "/link")
    expect(pickers).to_have_count(offered + 1)
    picker = pickers.last
    shot(page, f"journey-community-telegram-picker-{question[:5]}")
    picker.locator(".tg-key", has_text=live).first.click()
    expect(outcomes).to_have_count(linked + 1)
    outcome = outcomes.last
    found = done.search(outcome.inner_text())
    assert found is not None, outcome.inner_text()
    return found[1]


def link_on_discord(page: Page, command: str, live: re.Pattern[str]) -> str:
    """In the server, /backit link with a live campaign picked from the suggestions; its
    title."""
    page.click("#tab-discord")
    composer = page.locator("#dc-input")
    composer.fill(f"/backit {command} ")
    suggestion = page.locator(".dc-suggestion", has_text=live).first
    expect(suggestion).to_be_visible()
    shot(page, f"journey-community-discord-suggestions-{command}")
    title = suggestion.inner_text().strip()
    suggestion.click()
    composer.press("Enter")
    answer = page.locator(".dc-message.ephemeral").last
    expect(answer).to_contain_text(title)
    # The answer comes into view, even in a channel with history from before the page opened.
    expect(answer).to_be_in_viewport()
    return title


def test_linking_by_picking_marks_the_campaign_in_the_lists_here(
    page: Page, sandbox: Sandbox
) -> None:
    title = link_on_telegram(
        page, "Which campaign should be linked here?", LINKED, live_titles(page, sandbox)
    )
    say(page, "/discover")
    listing = bot_messages(page, "Page 1 of").last
    expect(listing).to_contain_text(f"{title}\n⚑ Linked here · ")
    shot(page, "journey-community-telegram-discover")

    title = link_on_discord(page, "link", live_titles(page, sandbox))
    page.locator("#dc-input").fill("/discover")
    page.locator("#dc-input").press("Enter")
    description = discord_list(page).locator(".dc-embed")
    expect(description).to_contain_text(f"{title}\n⚑ Linked here · ")
    shot(page, "journey-community-discord-discover")


def test_in_french_the_picker_and_the_marker_are_in_french(page: Page, sandbox: Sandbox) -> None:
    page.click("[data-language=fr]")
    try:
        question = "Quelle campagne lier ici\u00a0?"
        title = link_on_telegram(page, question, LIE, live_titles(page, sandbox))
        say(page, "/discover")
        listing = bot_messages(page, "Page 1 sur").last
        expect(listing).to_contain_text(f"{title}\n⚑ Liée ici · ")
        shot(page, "journey-community-telegram-discover-fr")

        title = link_on_discord(page, "lier", live_titles(page, sandbox))
        page.locator("#dc-input").fill("/découvrir")
        page.locator("#dc-input").press("Enter")
        listing = discord_list(page)
        expect(listing.locator(".dc-embed")).to_contain_text(f"{title}\n⚑ Liée ici · ")
        expect(listing.locator(".dc-embed-title")).to_be_in_viewport()
        shot(page, "journey-community-discord-discover-fr")
    finally:
        page.click("[data-language=en]")
        expect(page.locator("[data-language=en]")).to_have_attribute("aria-pressed", "true")
