"""/newcampaign: a creator answers one question at a time, previews the card, creates a draft."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from adapters.telegram.callers import caller_of, is_private, tell
from adapters.telegram.context import BackitContext
from adapters.telegram.cover_pictures import PICTURES, received_cover
from adapters.telegram.limits import TEXT_LIMIT, cut, telegram_length
from adapters.telegram.render import render_card
from core.campaigns import FundingModel
from core.categories import CATEGORIES, category_name
from core.errors import DomainError
from core.i18n import gettext, use_locale
from core.identity import Caller
from core.money import Money
from core.usecases.covering import set_cover
from core.usecases.drafting import (
    DraftAnswers,
    create_from_chat,
    draft_blurb,
    draft_delivery,
    draft_description,
    draft_end,
    draft_goal,
    draft_reward_description,
    draft_shipping,
    draft_tier,
    draft_title,
    preview_campaign,
)
from core.usecases.managing import MAX_TIERS, TierDraft
from core.usecases.reviewing import submit
from core.usecases.reward_limits import (
    BY_LINK,
    EARLY_BIRDS,
    OPEN_TO_ALL,
    DraftedReward,
    draft_window,
    early_bird,
    early_bird_choice,
    with_limit,
)
from core.views import drafting as asked
from core.views.cards import draft_card
from core.views.covers import cover_kept, draft_cover_question, picture_expected
from core.views.formatting import funding_model
from core.views.model import Card
from core.views.reviews import draft_kept, draft_submitted
from core.views.rewards import shipping

(
    TITLE,
    BLURB,
    DESCRIPTION,
    GOAL,
    END,
    CATEGORY,
    FUNDING,
    REWARDS,
    REWARD_DESCRIPTION,
    DELIVERY,
    SHIPPING,
    CONFIRM,
) = range(12)
# Asked after the funding model and after each reward's shipping; numbered last so the typed
# answers above keep their order.
COVER = 12
LIMIT = 13
# The conversation's own buttons; core's intents never start with this prefix.
PREFIX = "new:"
CATEGORY_DATA = f"{PREFIX}cat:"
FUNDING_DATA = f"{PREFIX}fund:"
NO_MORE_REWARDS = f"{PREFIX}done"
SKIP = f"{PREFIX}skip"
DIGITAL = f"{PREFIX}digital"
WORLDWIDE = f"{PREFIX}worldwide"
LIMIT_DATA = f"{PREFIX}limit:"
CREATE = f"{PREFIX}create"
CANCEL = f"{PREFIX}cancel"
DRAFT = "campaign_draft"
# What a reward keeps in a crowded preview: about its title and price.
SHORTEST_REWARD = 40
# The reward being described: from its title and price until where it ships.
TIER = "tier"

StateHandler = Callable[[Update, BackitContext], Coroutine[Any, Any, int]]
Draft = dict[str, Any]
# Each typed answer about the campaign: where the draft keeps it, and how core reads it
# (given the time now).
READERS: dict[int, tuple[str, Callable[[str, datetime], object]]] = {
    TITLE: ("title", lambda text, now: draft_title(text)),
    BLURB: ("blurb", lambda text, now: draft_blurb(text)),
    DESCRIPTION: ("description", lambda text, now: draft_description(text)),
    GOAL: ("goal", lambda text, now: draft_goal(text)),
    END: ("ends_at", draft_end),
}
# Each typed detail of the reward being described: the reward with it, as core reads it.
DETAILS: dict[int, Callable[[TierDraft, str, datetime], TierDraft]] = {
    REWARD_DESCRIPTION: lambda tier, text, now: replace(
        tier, description=draft_reward_description(text)
    ),
    DELIVERY: lambda tier, text, now: replace(tier, estimated_delivery=draft_delivery(text, now)),
    SHIPPING: lambda tier, text, now: _shipped(tier, *draft_shipping(text)),
}


def _markup(*rows: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _limits() -> InlineKeyboardMarkup:
    early_birds = tuple((label, LIMIT_DATA + choice) for label, choice in asked.early_bird_labels())
    return _markup(
        ((asked.open_to_all_label(), LIMIT_DATA + OPEN_TO_ALL),),
        early_birds,
        ((asked.secret_label(), LIMIT_DATA + BY_LINK),),
    )


def _no_more_rewards() -> InlineKeyboardMarkup:
    return _markup(((gettext("No more rewards"), NO_MORE_REWARDS),))


def _shipped(tier: TierDraft, ships: bool, countries: tuple[str, ...]) -> TierDraft:
    return replace(tier, ships=ships, ship_countries=countries)


def _draft(context: BackitContext) -> Draft:
    assert context.user_data is not None
    draft: Draft = context.user_data.setdefault(DRAFT, {})
    return draft


async def _say(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def _ask(
    update: Update, context: BackitContext, caller: Caller, state: int, before: str = ""
) -> None:
    """Ask the question of a state (after `before`, a refusal), with its buttons if any."""
    lead = f"{escape(before)}\n\n" if before else ""
    if state == CONFIRM:
        if before:
            await _say(update, escape(before))
        await _preview(update, context, caller)
        return
    question, markup = _question(state, _draft(context))
    await _say(update, lead + escape(question), markup)


def _question(state: int, draft: Draft) -> tuple[str, InlineKeyboardMarkup | None]:
    prompts: dict[int, Callable[[], asked.Question]] = {
        TITLE: asked.title_question,
        BLURB: asked.blurb_question,
        DESCRIPTION: asked.description_question,
        GOAL: asked.goal_question,
        END: asked.end_question,
    }
    if state in prompts:
        skip = _markup(((asked.skip_label(), SKIP),)) if state == DESCRIPTION else None
        return prompts[state]().prompt, skip
    if state == CATEGORY:
        keys = list(CATEGORIES)
        pairs = [keys[index : index + 2] for index in range(0, len(keys), 2)]
        rows = [tuple((category_name(key), CATEGORY_DATA + key) for key in pair) for pair in pairs]
        return asked.category_question(), _markup(*rows)
    if state == FUNDING:
        rows = [((label, FUNDING_DATA + model),) for label, model in asked.funding_labels()]
        return asked.funding_question(), _markup(*rows)
    if state == COVER:
        return draft_cover_question(), _markup(((asked.skip_label(), SKIP),))
    if state == REWARD_DESCRIPTION:
        question = asked.reward_description_question(draft[TIER].title)
        return question.prompt, _markup(((asked.skip_label(), SKIP),))
    if state == DELIVERY:
        return asked.delivery_question(draft[TIER].title).prompt, None
    if state == SHIPPING:
        buttons = ((asked.digital_label(), DIGITAL), (asked.worldwide_label(), WORLDWIDE))
        return asked.shipping_question(draft[TIER].title).prompt, _markup(buttons)
    if state == LIMIT:
        return asked.limit_question(draft[TIER].title).prompt, _limits()
    return gettext(
        "Now the rewards, one message each: “Title | amount”, or “Title | amount | quantity” "
        "when only so many are offered, like “Early bird | 50 | 100”. A campaign may have none."
    ), _no_more_rewards()


def _answers(draft: Draft) -> DraftAnswers:
    return DraftAnswers(
        title=draft["title"],
        blurb=draft["blurb"],
        description=draft["description"],
        goal=draft["goal"],
        ends_at=draft["ends_at"],
        category=draft["category"],
        funding_model=draft["funding_model"],
        tiers=tuple(draft["tiers"]),
    )


async def _preview(update: Update, context: BackitContext, caller: Caller) -> None:
    """The card as backers will see it, with the buttons to create the draft or drop it;
    above it, what Backit keeps of each pledge, for the creator alone."""
    services = context.services
    now = services.clock.now()
    campaign = preview_campaign(caller, _answers(_draft(context)), now)
    fee = services.draft_fee(campaign)
    heading = f"<b>{escape(asked.preview_heading())}</b>\n\n"
    if fee is not None:
        heading = f"{escape(fee)}\n\n{heading}"
    card = _within(draft_card(campaign, now), TEXT_LIMIT - telegram_length(heading))
    markup = _markup(((asked.create_draft_label(), CREATE),), ((gettext("Cancel"), CANCEL),))
    await _say(update, heading + card, markup)


def _within(card: Card, room: int) -> str:
    """The card's HTML in `room`: with many long rewards, each reward's details give way alike,
    down to about its title and price; then the story does."""
    reward = gettext("Reward")
    limit = max((len(field.value) for field in card.fields), default=0)
    while True:
        fields = tuple(
            replace(field, value=cut(field.value, limit)) if field.name == reward else field
            for field in card.fields
        )
        html = render_card(replace(card, fields=fields)).html
        # HTML counts its markup and entities: never less than what Telegram counts.
        over = telegram_length(html) - room
        if limit > SHORTEST_REWARD and over > 0:
            limit = limit * 4 // 5
        elif len(card.body) > 1 and over > 0:
            card = replace(card, body=cut(card.body, max(len(card.body) - over, 1)))
        else:
            return html


async def begin(update: Update, context: BackitContext) -> int:
    """/newcampaign: in a private chat, start a fresh draft and ask for the title."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        if not is_private(update):
            await tell(update, gettext("Create your campaign with me in a private chat."))
            return ConversationHandler.END
        assert context.user_data is not None
        context.user_data[DRAFT] = {"tiers": []}
        await _ask(update, context, caller, TITLE)
        return TITLE


def _typed(state: int) -> StateHandler:
    key, read = READERS[state]

    async def answered(update: Update, context: BackitContext) -> int:
        """A typed answer: kept and the next question asked, or refused and asked again."""
        caller = await caller_of(update, context)
        message = update.effective_message
        assert message is not None
        with use_locale(caller.locale):
            try:
                _draft(context)[key] = read(message.text or "", context.services.clock.now())
            except DomainError as error:
                await _ask(update, context, caller, state, error.user_message())
                return state
            await _ask(update, context, caller, state + 1)
            return state + 1

    return answered


async def _chosen(update: Update, context: BackitContext, key: str, value: Any, shown: str) -> None:
    """Keep a button's choice, and leave the question saying what was chosen."""
    query = update.callback_query
    assert query is not None
    _draft(context)[key] = value
    await query.answer()
    await query.edit_message_text(escape(shown), parse_mode=ParseMode.HTML)


async def categorised(update: Update, context: BackitContext) -> int:
    """A category button."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    key = (query.data or "").removeprefix(CATEGORY_DATA)
    with use_locale(caller.locale):
        shown = asked.category_chosen(category_name(key))
        await _chosen(update, context, "category", key, shown)
        await _ask(update, context, caller, FUNDING)
    return FUNDING


async def funded(update: Update, context: BackitContext) -> int:
    """A funding model button."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    model = FundingModel((query.data or "").removeprefix(FUNDING_DATA))
    with use_locale(caller.locale):
        await _chosen(update, context, "funding_model", model, funding_model(model))
        await _ask(update, context, caller, COVER)
    return COVER


async def covered(update: Update, context: BackitContext) -> int:
    """A picture for the cover: made into one and kept for the draft, or refused and asked
    for again."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    with use_locale(caller.locale):
        try:
            _draft(context)["cover"] = await received_cover(message)
        except DomainError as error:
            await _ask(update, context, caller, COVER, error.user_message())
            return COVER
        await _ask(update, context, caller, REWARDS, cover_kept())
    return REWARDS


async def cover_skipped(update: Update, context: BackitContext) -> int:
    """“Skip”: the card keeps its category's colours."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    with use_locale(caller.locale):
        await query.answer()
        await query.edit_message_reply_markup(None)
        await _ask(update, context, caller, REWARDS)
    return REWARDS


async def not_a_picture(update: Update, context: BackitContext) -> int:
    """Text where a picture (or “Skip”) is expected: say so and ask again."""
    caller = await caller_of(update, context)
    with use_locale(caller.locale):
        await _ask(update, context, caller, COVER, picture_expected())
    return COVER


async def rewarded(update: Update, context: BackitContext) -> int:
    """A typed reward's title and price: kept, and its description asked for."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    draft = _draft(context)
    with use_locale(caller.locale):
        goal: Money = draft["goal"]
        try:
            draft[TIER] = draft_tier(message.text or "", goal.currency)
        except DomainError as error:
            await _ask(update, context, caller, REWARDS, error.user_message())
            return REWARDS
        await _ask(update, context, caller, REWARD_DESCRIPTION)
        return REWARD_DESCRIPTION


def _detailed(state: int) -> StateHandler:
    add = DETAILS[state]

    async def answered(update: Update, context: BackitContext) -> int:
        """A typed detail of the reward: kept and the next asked, or refused and asked again."""
        caller = await caller_of(update, context)
        message = update.effective_message
        assert message is not None
        draft = _draft(context)
        with use_locale(caller.locale):
            try:
                draft[TIER] = add(draft[TIER], message.text or "", context.services.clock.now())
            except DomainError as error:
                await _ask(update, context, caller, state, error.user_message())
                return state
            following = LIMIT if state == SHIPPING else state + 1
            await _ask(update, context, caller, following)
            return following

    return answered


def _skipped(state: int) -> StateHandler:
    async def pressed(update: Update, context: BackitContext) -> int:
        """“Skip”: the description (of the campaign or of the reward) is left empty."""
        caller = await caller_of(update, context)
        query = update.callback_query
        assert query is not None
        draft = _draft(context)
        if state == DESCRIPTION:
            draft["description"] = ""
        else:
            draft[TIER] = replace(draft[TIER], description="")
        with use_locale(caller.locale):
            await query.answer()
            await query.edit_message_reply_markup(None)
            await _ask(update, context, caller, state + 1)
        return state + 1

    return pressed


async def shipped(update: Update, context: BackitContext) -> int:
    """“Digital” or “Worldwide”: the reward is complete."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    ships = query.data == WORLDWIDE
    draft[TIER] = _shipped(draft[TIER], ships, ())
    with use_locale(caller.locale):
        await query.answer()
        await query.edit_message_text(escape(shipping(ships, ())), parse_mode=ParseMode.HTML)
        await _ask(update, context, caller, LIMIT)
    return LIMIT


async def limited(update: Update, context: BackitContext) -> int:
    """A typed early bird's time from the launch: the reward is complete, or the time is
    refused and the question asked again."""
    caller = await caller_of(update, context)
    message = update.effective_message
    assert message is not None
    draft = _draft(context)
    with use_locale(caller.locale):
        try:
            window = draft_window(message.text or "")
            now = context.services.clock.now()
            reward = early_bird(draft[TIER], window, now, draft["ends_at"])
        except DomainError as error:
            await _ask(update, context, caller, LIMIT, error.user_message())
            return LIMIT
        return await _reward_added(update, context, caller, reward)


async def limit_chosen(update: Update, context: BackitContext) -> int:
    """“Open to all”, an early bird's button, or “Secret”: the reward is complete, or an early
    bird that outlasts the campaign is refused and the question asked again."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    draft = _draft(context)
    choice = (query.data or "").removeprefix(LIMIT_DATA)
    with use_locale(caller.locale):
        await query.answer()
        try:
            now = context.services.clock.now()
            reward = with_limit(draft[TIER], choice, now, draft["ends_at"])
        except DomainError as error:
            await _ask(update, context, caller, LIMIT, error.user_message())
            return LIMIT
        # The pattern lets through only the choices offered.
        assert reward is not None
        said = escape(asked.limit_chosen(reward))
        await query.edit_message_text(said, parse_mode=ParseMode.HTML)
        return await _reward_added(update, context, caller, reward)


async def _reward_added(
    update: Update, context: BackitContext, caller: Caller, reward: DraftedReward
) -> int:
    """Add the reward described; then another is asked for, until the most a campaign may have."""
    draft = _draft(context)
    del draft[TIER]
    draft["tiers"].append(reward)
    tier = reward.tier
    goal: Money = draft["goal"]
    last = len(draft["tiers"]) >= MAX_TIERS
    added = asked.reward_added(tier.title, Money(tier.amount, goal.currency), last=last)
    if last:
        await _say(update, escape(added))
        await _preview(update, context, caller)
        return CONFIRM
    more = gettext("Send another reward, or press “No more rewards”.")
    await _say(update, escape(added + " " + more), _no_more_rewards())
    return REWARDS


async def rewards_done(update: Update, context: BackitContext) -> int:
    """No more rewards: show the preview."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    with use_locale(caller.locale):
        await query.answer()
        await query.edit_message_reply_markup(None)
        await _preview(update, context, caller)
    return CONFIRM


async def confirmed(update: Update, context: BackitContext) -> int:
    """Create draft, or cancel: the draft is stored through core, or dropped."""
    caller = await caller_of(update, context)
    query = update.callback_query
    assert query is not None
    assert context.user_data is not None
    with use_locale(caller.locale):
        if query.data == CANCEL:
            context.user_data.pop(DRAFT, None)
            await query.answer(asked.draft_discarded())
            await query.edit_message_reply_markup(None)
            return ConversationHandler.END
        services = context.services
        try:
            campaign = await create_from_chat(
                services.uows, services.clock, caller, _answers(_draft(context))
            )
        except DomainError as error:
            await tell(update, error.user_message())
            return CONFIRM
        draft = context.user_data.pop(DRAFT, {})
        if draft.get("cover") is not None:
            await set_cover(services.uows(), caller.identity, campaign.slug, draft["cover"])
        await query.answer()
        await query.edit_message_reply_markup(None)
        try:
            submission = await submit(
                services.uows, services.clock, services.operators, caller.identity, campaign.id
            )
        except DomainError as error:
            said = draft_kept(campaign.title, campaign.slug, error.user_message())
        else:
            said = draft_submitted(submission)
        await _say(update, escape(said))
        return ConversationHandler.END


def _buttons_expected(state: int) -> StateHandler:
    async def reminded(update: Update, context: BackitContext) -> int:
        """Text where a button is expected: say so and ask again."""
        caller = await caller_of(update, context)
        with use_locale(caller.locale):
            await _ask(update, context, caller, state, gettext("Please answer with the buttons."))
        return state

    return reminded


async def cancelled(update: Update, context: BackitContext) -> int:
    """/cancel: drop the draft."""
    caller = await caller_of(update, context)
    assert context.user_data is not None
    context.user_data.pop(DRAFT, None)
    with use_locale(caller.locale):
        await tell(update, asked.draft_discarded())
    return ConversationHandler.END


def newcampaign_conversation() -> ConversationHandler[BackitContext]:
    """The conversation, to register before the general button and text handlers."""
    typed = filters.TEXT & ~filters.COMMAND
    categories = "|".join(CATEGORIES)
    models = "|".join(FundingModel)
    limits = "|".join((OPEN_TO_ALL, BY_LINK, *map(early_bird_choice, EARLY_BIRDS)))
    with warnings.catch_warnings():
        # PTB warns that buttons are then tracked per chat and user, not per message:
        # that is what this conversation wants (one draft per creator at a time).
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("newcampaign", begin)],
            states={
                **{
                    state: [MessageHandler(typed, _typed(state))]
                    for state in READERS
                    if state != DESCRIPTION
                },
                CATEGORY: [
                    CallbackQueryHandler(categorised, pattern=f"^{CATEGORY_DATA}({categories})$"),
                    MessageHandler(typed, _buttons_expected(CATEGORY)),
                ],
                FUNDING: [
                    CallbackQueryHandler(funded, pattern=f"^{FUNDING_DATA}({models})$"),
                    MessageHandler(typed, _buttons_expected(FUNDING)),
                ],
                DESCRIPTION: [
                    MessageHandler(typed, _typed(DESCRIPTION)),
                    CallbackQueryHandler(_skipped(DESCRIPTION), pattern=f"^{SKIP}$"),
                ],
                COVER: [
                    MessageHandler(PICTURES, covered),
                    CallbackQueryHandler(cover_skipped, pattern=f"^{SKIP}$"),
                    MessageHandler(typed, not_a_picture),
                ],
                REWARDS: [
                    MessageHandler(typed, rewarded),
                    CallbackQueryHandler(rewards_done, pattern=f"^{NO_MORE_REWARDS}$"),
                ],
                REWARD_DESCRIPTION: [
                    MessageHandler(typed, _detailed(REWARD_DESCRIPTION)),
                    CallbackQueryHandler(_skipped(REWARD_DESCRIPTION), pattern=f"^{SKIP}$"),
                ],
                DELIVERY: [MessageHandler(typed, _detailed(DELIVERY))],
                SHIPPING: [
                    MessageHandler(typed, _detailed(SHIPPING)),
                    CallbackQueryHandler(shipped, pattern=f"^({DIGITAL}|{WORLDWIDE})$"),
                ],
                LIMIT: [
                    MessageHandler(typed, limited),
                    CallbackQueryHandler(limit_chosen, pattern=f"^{LIMIT_DATA}({limits})$"),
                ],
                CONFIRM: [
                    CallbackQueryHandler(confirmed, pattern=f"^({CREATE}|{CANCEL})$"),
                    MessageHandler(typed, _buttons_expected(CONFIRM)),
                ],
            },
            fallbacks=[CommandHandler("cancel", cancelled)],
            allow_reentry=True,
            name="newcampaign",
        )
