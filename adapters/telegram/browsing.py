"""Discovering campaigns: /start, /discover, /search, /campaign, cards and list buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from adapters.images.card_images import picture_now
from adapters.rendered_once import RenderedOnce
from adapters.telegram.callers import for_caller, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.deep_links import (
    ContinuePledge,
    OpenCampaign,
    RevealReward,
    RunCommand,
    decode,
)
from adapters.telegram.links import group_urls, private_urls
from adapters.telegram.personal import run_from_link
from adapters.telegram.picking import offer, typed
from adapters.telegram.pledging import offer_reward
from adapters.telegram.referrals import remember_referral
from adapters.telegram.render import Rendered, keyboard, render_card, render_list
from adapters.telegram.sending import edit_or_send, send
from core.i18n import gettext
from core.identity import Caller, Platform
from core.ports import CampaignQuery, Sort
from core.usecases.backers import reachable_again, remember
from core.usecases.browsing import CampaignDetail, browse
from core.usecases.choosing import Purpose, chosen_detail
from core.usecases.secret_rewards import reveal
from core.views.cards import viewer_card
from core.views.intents import Browse, Categories, Show
from core.views.lists import category_picker, discover_button, search_page

SEARCH_RESULTS = 10
# Browse pages come from core's cache, the same page object while nothing changed.
_browse_rendered = RenderedOnce(render_list)


async def private_card(
    context: BackitContext, caller: Caller, detail: CampaignDetail, referral_code: str | None
) -> Rendered:
    """A campaign's card in the viewer's private chat: their pledge on it, and rewards as their
    own one-tap pledge links (or, on a campaign they backed, buttons that ask first)."""
    services = context.services
    now = services.clock.now()
    card = viewer_card(detail, now, own=True)
    backer = await remember(services.uows, caller)
    url_for = private_urls(context, backer.id, referral_code, backed=detail.backed is not None)
    return render_card(card, url_for, picture_now(detail.campaign, now))


async def show_card(
    update: Update,
    context: BackitContext,
    caller: Caller,
    detail: CampaignDetail,
    referral_code: str | None = None,
) -> None:
    """Send a campaign's card: personal pledge links in private, deep links in a group."""
    if is_private(update):
        if referral_code is not None:
            remember_referral(context, detail.campaign.id, referral_code)
        rendered = await private_card(context, caller, detail, referral_code)
    else:
        # The viewer's own pledge is theirs to see: never on a card the whole group reads.
        now = context.services.clock.now()
        card = viewer_card(detail, now, own=False)
        rendered = render_card(card, group_urls(context), picture_now(detail.campaign, now))
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, rendered)


@for_caller
async def start(update: Update, context: BackitContext, caller: Caller) -> None:
    """Welcome, or open what a deep link points at."""
    if is_private(update):
        # Telegram lets no one write to a bot they blocked: whoever starts it can hear again.
        await reachable_again(context.services.uows, caller)
    payload = decode(context.args[0]) if context.args else None
    if isinstance(payload, OpenCampaign):
        services = context.services
        detail = await services.reads.campaign_detail(
            payload.slug, caller.identity, services.operators
        )
        await show_card(update, context, caller, detail, payload.referral_code)
    elif isinstance(payload, RevealReward) and is_private(update):
        # Only in private: a secret reward is for whoever holds its link, not for a group.
        services = context.services
        detail = await reveal(services.uows, payload.code, caller.identity, services.operators)
        await show_card(update, context, caller, detail)
    elif isinstance(payload, ContinuePledge) and is_private(update):
        await offer_reward(update, context, caller, payload)
    elif isinstance(payload, RunCommand) and is_private(update):
        await run_from_link(update, context, caller, payload)
    else:
        await welcome(update, context)


async def welcome(update: Update, context: BackitContext) -> None:
    """What Backit is, and where to begin."""
    text = gettext(
        "Welcome to Backit! Discover campaigns, back them in one tap and follow their news, "
        "right here in the chat.\n\n/discover to browse · /search to find · /language to "
        "switch language"
    )
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, Rendered(text, keyboard(((discover_button(),),))))


async def _query(
    update: Update, context: BackitContext, query: CampaignQuery
) -> tuple[CampaignQuery, tuple[int, ...]]:
    """In a group, the query with the campaigns it linked first, and those campaigns' ids."""
    chat = update.effective_chat
    if chat is None or is_private(update):
        return query, ()
    here = await context.services.reads.community_here(Platform.TELEGRAM, str(chat.id))
    if here is None:
        return query, ()
    return replace(query, community_id=here.id), here.linked_campaign_ids


async def _browse(update: Update, context: BackitContext, query: CampaignQuery) -> None:
    services = context.services
    query, linked = await _query(update, context, query)
    shown = await services.reads.browse_list(query, linked)
    await edit_or_send(update, context, _browse_rendered(shown))


@for_caller
async def discover(update: Update, context: BackitContext, caller: Caller) -> None:
    """The first page of trending campaigns."""
    await _browse(update, context, CampaignQuery(limit=context.services.page_size))


@for_caller
async def search(update: Update, context: BackitContext, caller: Caller) -> None:
    """Campaigns whose title or blurb holds the words given."""
    words = " ".join(context.args or ()).strip()
    if not words:
        await tell(update, gettext("Usage: /search <words>"))
        return
    services = context.services
    query, linked = await _query(
        update, context, CampaignQuery(sort=Sort.MOST_BACKED, text=words, limit=SEARCH_RESULTS)
    )
    page = await browse(services.uows(read_only=True), services.clock, query)
    chat = update.effective_chat
    assert chat is not None
    await send(context, chat.id, render_list(search_page(page, services.clock.now(), linked)))


@for_caller
async def campaign(update: Update, context: BackitContext, caller: Caller) -> None:
    """One campaign's card, by slug or title; live ones to pick from when none is named."""
    if not typed(context):
        await offer(update, context, caller, Purpose.CAMPAIGN)
        return
    services = context.services
    detail = await chosen_detail(
        services.uows(read_only=True), typed(context), caller.identity, services.operators
    )
    await show_card(update, context, caller, detail)


async def campaign_picked(
    update: Update, context: BackitContext, caller: Caller, campaign_id: int
) -> None:
    """A campaign picked after /campaign: its card."""
    services = context.services
    detail = await chosen_detail(
        services.uows(read_only=True), campaign_id, caller.identity, services.operators
    )
    await show_card(update, context, caller, detail)
    await _answer(update)


async def _answer(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()


async def browse_button(
    update: Update, context: BackitContext, caller: Caller, intent: Browse
) -> None:
    """A sort, category or paging button: the list is edited in place."""
    query = CampaignQuery(
        intent.sort, intent.category, None, None, intent.offset, context.services.page_size
    )
    await _browse(update, context, query)
    await _answer(update)


async def show_button(update: Update, context: BackitContext, caller: Caller, intent: Show) -> None:
    """A list line's button: the campaign's card."""
    services = context.services
    detail = await services.reads.campaign_detail(
        intent.campaign_id, caller.identity, services.operators
    )
    await show_card(update, context, caller, detail)
    await _answer(update)


async def categories_button(
    update: Update, context: BackitContext, caller: Caller, intent: Categories
) -> None:
    """The category picker, edited in place of the list; picking one browses it."""
    await edit_or_send(update, context, render_list(category_picker(intent.sort)))
    await _answer(update)
