"""Discovering campaigns: /discover, /search, /campaign with autocomplete, and list buttons."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any

from discord import app_commands

from adapters.discord.answering import answer
from adapters.discord.callers import BackitInteraction, identity_of
from adapters.discord.limits import CHOICE_NAME, CHOICES, cut
from adapters.discord.replies import Mode, Reply
from adapters.discord.views import campaign_reply, list_reply
from adapters.rendered_once import RenderedOnce
from core.categories import CATEGORIES
from core.errors import SecretLinkInvalid
from core.i18n import N_
from core.identity import Caller, Platform
from core.ports import CampaignQuery, Sort
from core.usecases.browsing import SEARCH_MAX_CHARS, browse
from core.usecases.choosing import Purpose, campaigns_to_pick, chosen_detail
from core.usecases.secret_rewards import reveal
from core.views.intents import Browse, Categories, Show
from core.views.lists import SORT_NAMES, category_picker, search_page

SEARCH_RESULTS = 10
# Browse pages come from core's cache, the same page object while nothing changed.
_browse_reply = RenderedOnce(list_reply)
Autocomplete = Callable[
    [BackitInteraction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]
SORTS = [app_commands.Choice(name=name, value=sort.value) for sort, name in SORT_NAMES.items()]
CATEGORY_CHOICES = [app_commands.Choice(name=name, value=key) for key, name in CATEGORIES.items()]


async def _here(
    interaction: BackitInteraction, query: CampaignQuery
) -> tuple[CampaignQuery, tuple[int, ...]]:
    """In a server, the query with the campaigns it linked first, and those campaigns' ids."""
    if interaction.guild_id is None:
        return query, ()
    services = interaction.client.services
    here = await services.reads.community_here(Platform.DISCORD, str(interaction.guild_id))
    if here is None:
        return query, ()
    return replace(query, community_id=here.id), here.linked_campaign_ids


async def _page(interaction: BackitInteraction, query: CampaignQuery) -> Reply:
    services = interaction.client.services
    query, linked = await _here(interaction, query)
    return _browse_reply(await services.reads.browse_list(query, linked))


def _list_mode(interaction: BackitInteraction) -> Mode:
    """A list in a channel is everyone's: only whoever asked for it changes it in place, and
    anyone else pressing its buttons gets a copy of their own."""
    message = interaction.message
    if message is None:
        return Mode.PRIVATE
    # Only its member sees an ephemeral list: it is theirs to change.
    if message.flags.ephemeral:
        return Mode.EDIT
    asked = message.interaction_metadata
    return Mode.EDIT if asked is not None and asked.user.id == interaction.user.id else Mode.PRIVATE


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
        query, linked = await _here(
            interaction,
            CampaignQuery(sort=Sort.MOST_BACKED, text=words.strip(), limit=SEARCH_RESULTS),
        )
        page = await browse(services.uows(read_only=True), services.clock, query)
        return list_reply(search_page(page, services.clock.now(), linked))

    await answer(interaction, Mode.PUBLIC, work)


def campaign_names(purpose: Purpose) -> Autocomplete:
    """An autocomplete of the campaigns a command is about, narrowed to what is typed."""

    async def names(interaction: BackitInteraction, typed: str) -> list[app_commands.Choice[str]]:
        services = interaction.client.services
        guild = interaction.guild_id
        found = await campaigns_to_pick(
            services.uows,
            services.clock,
            purpose,
            identity_of(interaction.user),
            None if guild is None else (Platform.DISCORD, str(guild)),
            typed,
            CHOICES,
        )
        return [
            app_commands.Choice(name=cut(campaign.title, CHOICE_NAME), value=campaign.slug)
            for campaign in found
        ]

    return names


@app_commands.command(name=N_("campaign"), description=N_("Show a campaign's card"))
@app_commands.rename(name=N_("name"), code=N_("code"))
@app_commands.describe(
    name=N_("The campaign: type to search the titles"),
    code=N_("A secret reward's code, as its creator shared it"),
)
@app_commands.autocomplete(name=campaign_names(Purpose.CAMPAIGN))
async def campaign(interaction: BackitInteraction, name: str, code: str | None = None) -> None:
    """/campaign <name>: the campaign's card, for everyone in the channel; with a secret
    reward's code, the card offering that reward too, for the member alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        if code is not None:
            detail = await reveal(services.uows, code, caller.identity, services.operators)
            # The code is the campaign's, not one of another campaign's.
            if detail.campaign.slug != name:
                raise SecretLinkInvalid()
            return await campaign_reply(services, detail, own=True)
        detail = await chosen_detail(
            services.uows(read_only=True), name, caller.identity, services.operators
        )
        # Posted in a server, the card is everyone's; in direct messages, the member's own.
        own = interaction.guild_id is None
        return await campaign_reply(services, detail, own=own)

    # A secret reward is shown only to whoever holds its code.
    await answer(interaction, Mode.PUBLIC if code is None else Mode.PRIVATE, work)


async def browse_button(interaction: BackitInteraction, intent: Browse) -> None:
    """A sort or paging button: the list is changed in place."""

    async def work(caller: Caller) -> Reply:
        size = interaction.client.services.page_size
        query = CampaignQuery(intent.sort, intent.category, None, None, intent.offset, size)
        return await _page(interaction, query)

    await answer(interaction, _list_mode(interaction), work)


async def show_button(interaction: BackitInteraction, intent: Show) -> None:
    """A list line's button: the campaign's card, for the member alone."""

    async def work(caller: Caller) -> Reply:
        services = interaction.client.services
        detail = await services.reads.campaign_detail(
            intent.campaign_id, caller.identity, services.operators
        )
        return await campaign_reply(services, detail, own=True)

    await answer(interaction, Mode.PRIVATE, work)


async def categories_button(interaction: BackitInteraction, intent: Categories) -> None:
    """The category picker, in place of the list; picking one lists that category."""

    async def work(caller: Caller) -> Reply:
        return list_reply(category_picker(intent.sort))

    await answer(interaction, _list_mode(interaction), work)
