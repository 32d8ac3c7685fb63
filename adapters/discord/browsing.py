"""Discovering campaigns: /discover, /search, /campaign with autocomplete, and list buttons."""

from __future__ import annotations

from dataclasses import replace

from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction
from adapters.discord.limits import CHOICE_NAME, CHOICES, cut
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import card_reply, list_reply
from core.categories import CATEGORIES
from core.i18n import N_
from core.identity import Caller, Platform
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import (
    SEARCH_MAX_CHARS,
    browse,
    campaign_detail,
    campaign_detail_by_id,
)
from core.usecases.communities import community_id
from core.views.cards import campaign_card
from core.views.intents import Browse, Categories, Show
from core.views.lists import SORT_NAMES, browse_page, category_picker, search_page

SEARCH_RESULTS = 10
SORTS = [app_commands.Choice(name=name, value=sort.value) for sort, name in SORT_NAMES.items()]
CATEGORY_CHOICES = [app_commands.Choice(name=name, value=key) for key, name in CATEGORIES.items()]


async def _here(interaction: BackitInteraction, query: CampaignQuery) -> CampaignQuery:
    # In a server, the campaigns it linked come first.
    if interaction.guild_id is None:
        return query
    services = interaction.client.services
    here = await community_id(services.uows, Platform.DISCORD, str(interaction.guild_id))
    return replace(query, community_id=here)


async def _page(interaction: BackitInteraction, query: CampaignQuery) -> Reply:
    services = interaction.client.services
    page = await browse(services.uows(), services.clock, await _here(interaction, query))
    return list_reply(browse_page(page, services.clock.now()))


@app_commands.command(name=N_("discover"), description=N_("Browse campaigns"))
@app_commands.rename(sort=N_("sort"), category=N_("category"))
@app_commands.describe(
    sort=N_("The order of the list"), category=N_("Only campaigns of this category")
)
@app_commands.choices(sort=SORTS, category=CATEGORY_CHOICES)
async def discover(
    interaction: BackitInteraction, sort: str = Sort.TRENDING.value, category: str | None = None
) -> None:
    """/discover: a page of campaigns in the order and category asked for, with paging."""
    query = CampaignQuery(Sort(sort), category, limit=interaction.client.services.page_size)

    async def work(caller: Caller) -> Reply:
        return await _page(interaction, query)

    await answer(interaction, Mode.PUBLIC, work)


@app_commands.command(name=N_("search"), description=N_("Find a campaign"))
@app_commands.rename(words=N_("words"))
@app_commands.describe(words=N_("Words from the title or the blurb"))
async def search(
    interaction: BackitInteraction, words: app_commands.Range[str, 1, SEARCH_MAX_CHARS]
) -> None:
    """/search <words>: campaigns whose title or blurb holds them."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        query = CampaignQuery(sort=Sort.MOST_BACKED, text=words.strip(), limit=SEARCH_RESULTS)
        page = await browse(services.uows(), services.clock, await _here(interaction, query))
        return list_reply(search_page(page, services.clock.now()))

    await answer(interaction, Mode.PUBLIC, work)


async def campaign_names(
    interaction: BackitInteraction, typed: str
) -> list[app_commands.Choice[str]]:
    """Live campaigns whose title or blurb holds what is typed (trending ones before typing)."""
    services = interaction.client.services
    words = typed.strip()[:SEARCH_MAX_CHARS] or None
    query = CampaignQuery(
        sort=Sort.MOST_BACKED if words else Sort.TRENDING, text=words, limit=CHOICES
    )
    page = await browse(services.uows(), services.clock, query)
    return [
        app_commands.Choice(name=cut(campaign.title, CHOICE_NAME), value=campaign.slug)
        for campaign in page.campaigns
    ]


@app_commands.command(name=N_("campaign"), description=N_("Show a campaign's card"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names)
async def campaign(interaction: BackitInteraction, name: str) -> None:
    """/campaign <name>: the campaign's card, for everyone in the channel."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        detail = await campaign_detail(
            services.uows(), name.strip().lower(), caller.identity, services.operators
        )
        # A card in a server is everyone's: it offers Follow to whoever reads it.
        following = detail.following and interaction.guild_id is None
        return card_reply(campaign_card(detail.campaign, services.clock.now(), following=following))

    await answer(interaction, Mode.PUBLIC, work)


async def browse_button(interaction: BackitInteraction, intent: Browse) -> None:
    """A sort or paging button: the list is changed in place."""

    async def work(caller: Caller) -> Reply:
        size = interaction.client.services.page_size
        query = CampaignQuery(intent.sort, intent.category, None, None, intent.offset, size)
        return await _page(interaction, query)

    await answer(interaction, Mode.EDIT, work)


async def show_button(interaction: BackitInteraction, intent: Show) -> None:
    """A list line's button: the campaign's card, for the member alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        detail = await campaign_detail_by_id(
            services.uows(), intent.campaign_id, caller.identity, services.operators
        )
        now = services.clock.now()
        return card_reply(campaign_card(detail.campaign, now, following=detail.following))

    await answer(interaction, Mode.PRIVATE, work)


async def categories_button(interaction: BackitInteraction, intent: Categories) -> None:
    """The category picker, in place of the list; picking one lists that category."""

    async def work(caller: Caller) -> Reply:
        return list_reply(category_picker(intent.sort))

    await answer(interaction, Mode.EDIT, work)
