"""Inline mode: `@bot words` in any chat offers campaign cards to share, crediting the sharer."""

from __future__ import annotations

from telegram import (
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from adapters.images.card_images import picture_now
from adapters.telegram.callers import for_caller
from adapters.telegram.context import BackitContext
from adapters.telegram.links import shared_urls
from adapters.telegram.render import render_card
from core.identity import Caller
from core.usecases.backers import remember
from core.usecases.browsing import SEARCH_MAX_CHARS, published
from core.views.cards import campaign_card, raised_of_goal

RESULTS = 10
# Shared cards change hands; a short cache keeps totals fresh.
CACHE_SECONDS = 30


@for_caller
async def inline_query(update: Update, context: BackitContext, caller: Caller) -> None:
    """Offer matching campaigns (or trending ones), then those coming soon, as cards whose
    buttons credit the sharer."""
    query = update.inline_query
    assert query is not None
    services = context.services
    words = query.query.strip()[:SEARCH_MAX_CHARS]
    now = services.clock.now()
    async with services.uows(read_only=True) as uow:
        campaigns = await published(uow, now, words, RESULTS)
    sharer = await remember(services.uows, caller)
    results: list[InlineQueryResult] = []
    for campaign in campaigns:
        card = campaign_card(campaign, now, following=False)
        urls = shared_urls(context, campaign.slug, sharer.referral_code)
        description = f"{card.progress.label} · {raised_of_goal(campaign)}"
        # Its picture when Telegram already keeps it (someone saw this card lately); an inline
        # answer cannot upload one, so a picture not yet uploaded leaves the card as text.
        picture = picture_now(campaign, now)
        known = context.card_photos.known(picture)
        if known is not None:
            shown = render_card(card, urls, picture)
            results.append(
                InlineQueryResultCachedPhoto(
                    id=str(campaign.id),
                    photo_file_id=known.file_id,
                    title=campaign.title,
                    description=description,
                    caption=shown.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=shown.keyboard,
                )
            )
            continue
        rendered = render_card(card, urls)
        results.append(
            InlineQueryResultArticle(
                id=str(campaign.id),
                title=campaign.title,
                description=description,
                # The card picture where the web server serves it; never an outside address.
                thumbnail_url=services.card_picture_url(campaign),
                input_message_content=InputTextMessageContent(
                    rendered.html, parse_mode=ParseMode.HTML
                ),
                reply_markup=rendered.keyboard,
            )
        )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
