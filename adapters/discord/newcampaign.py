"""/newcampaign: a creator fills a form, picks with buttons, adds rewards, and stores a draft."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

import discord
from discord import app_commands

from adapters.discord.answering import answer, open_form
from adapters.discord.callers import BackitInteraction
from adapters.discord.campaign_drafts import LIFETIME, ChatDraft
from adapters.discord.layout import static_view
from adapters.discord.limits import (
    BUTTON_LABEL,
    CONTENT,
    INPUT_LABEL,
    MODAL_TITLE,
    cut,
    fit,
    inert,
)
from adapters.discord.render import card_embed
from adapters.discord.replies import Mode, Reply
from adapters.images.covers import downloaded_cover
from core.campaigns import FundingModel
from core.categories import CATEGORIES, category_name
from core.errors import DomainError
from core.i18n import N_, gettext
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
    draft_reward,
    draft_reward_description,
    draft_shipping,
    draft_title,
    preview_campaign,
)
from core.usecases.managing import BLURB_MAX, MAX_TIERS, TITLE_MAX, TierDraft
from core.usecases.reviewing import submit
from core.usecases.reward_limits import (
    BY_LINK,
    OPEN_TO_ALL,
    DraftedReward,
    EarlyBirdTooLong,
    draft_window,
    early_bird,
    with_limit,
)
from core.views import drafting as asked
from core.views.cards import draft_card
from core.views.covers import cover_kept, drafted_without_cover
from core.views.formatting import funding_model
from core.views.reviews import draft_kept, draft_submitted

PREFIX = "newcampaign:"
# A form field's placeholder is at most 100 characters.
PLACEHOLDER = 100
# Room for an amount and its currency, or a number of days or a date, with spaces to spare.
SHORT_ANSWER = 40
DESCRIPTION_FIELD = 4000
CHOSEN_ROW = 5
Short, Paragraph = discord.TextStyle.short, discord.TextStyle.paragraph
Reader = Callable[[str, datetime], object]


class DraftGone(DomainError):
    """A button or form of a draft that is no longer kept: stored, discarded, or too old."""

    template = N_("This draft is no longer open: start again with /newcampaign.")


class RewardAlreadyAdded(DomainError):
    """A shipping or limit button of a reward that is complete."""

    template = N_("That reward is added already: add another, or see the preview.")


def _button(label: str, step: str, style: discord.ButtonStyle, row: int) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label=cut(label, BUTTON_LABEL), style=style, custom_id=PREFIX + step, row=row
    )


def _buttons(*rows: tuple[tuple[str, str], ...]) -> discord.ui.View:
    """Rows of (label, step) buttons, the first of each row the one to press."""
    items = [
        _button(label, step, discord.ButtonStyle.secondary, number)
        for number, row in enumerate(rows)
        for label, step in row
    ]
    return static_view(items)


def _field(
    form: discord.ui.Modal,
    question: asked.Question,
    typed: Mapping[str, str],
    key: str,
    *,
    style: discord.TextStyle = Short,
    limit: int = SHORT_ANSWER,
    required: bool = True,
) -> discord.ui.TextInput[Any]:
    """A labelled field of a form, holding what was typed in it last time, if anything."""
    field: discord.ui.TextInput[Any] = discord.ui.TextInput(
        style=style,
        required=required,
        max_length=limit,
        placeholder=cut(question.example, PLACEHOLDER),
        default=typed.get(key) or None,
    )
    form.add_item(discord.ui.Label(text=cut(question.label, INPUT_LABEL), component=field))
    return field


def _read_all(readers: Mapping[str, tuple[Reader, str]], now: datetime) -> dict[str, Any]:
    """Every answer read by core; all the refusals at once, a line each, if any is refused."""
    read: dict[str, Any] = {}
    refusals: list[str] = []
    for key, (reader, text) in readers.items():
        try:
            read[key] = reader(text, now)
        except DomainError as error:
            refusals.append(error.user_message())
    if refusals:
        raise FormRefused(refusals)
    return read


class FormRefused(Exception):
    """What is wrong with the answers of a form, every one of it."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


def _try_again(reasons: list[str], step: str) -> Reply:
    return Reply(
        content=fit("\n".join(reasons), CONTENT), view=_buttons(((gettext("Try again"), step),))
    )


def _draft(interaction: BackitInteraction) -> ChatDraft:
    draft = interaction.client.campaign_drafts.get(interaction.user.id)
    if draft is None:
        raise DraftGone()
    return draft


class CampaignForm(discord.ui.Modal):
    """The campaign itself: title, blurb, its story, goal and end."""

    def __init__(self, typed: Mapping[str, str]) -> None:
        super().__init__(title=cut(gettext("New campaign"), MODAL_TITLE), timeout=LIFETIME)
        self.title_field = _field(self, asked.title_question(), typed, "title", limit=TITLE_MAX)
        self.blurb = _field(self, asked.blurb_question(), typed, "blurb", limit=BLURB_MAX)
        self.story = _field(
            self,
            asked.description_question(),
            typed,
            "description",
            style=Paragraph,
            limit=DESCRIPTION_FIELD,
            required=False,
        )
        self.goal = _field(self, asked.goal_question(), typed, "goal")
        self.end = _field(self, asked.end_question(), typed, "ends_at")

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Read every answer; then the category, or what to correct."""
        typed = {
            "title": self.title_field.value,
            "blurb": self.blurb.value,
            "description": self.story.value,
            "goal": self.goal.value,
            "ends_at": self.end.value,
        }
        readers: dict[str, tuple[Reader, str]] = {
            "title": (lambda text, now: draft_title(text), typed["title"]),
            "blurb": (lambda text, now: draft_blurb(text), typed["blurb"]),
            "description": (lambda text, now: draft_description(text), typed["description"]),
            "goal": (lambda text, now: draft_goal(text), typed["goal"]),
            "ends_at": (draft_end, typed["ends_at"]),
        }

        async def work(caller: Caller) -> Reply:
            draft = _draft(interaction)
            draft.typed = typed
            try:
                draft.answers.update(_read_all(readers, interaction.client.services.clock.now()))
            except FormRefused as refused:
                return _try_again(refused.reasons, "campaign")
            draft.typed = {}
            return _categories(await _covered(draft))

        await answer(interaction, Mode.PRIVATE, work)


async def _covered(draft: ChatDraft) -> str:
    """The picture given with /newcampaign made into the draft's cover, once: what the creator
    is told of it (nothing when none was given)."""
    picture, draft.picture = draft.picture, None
    if picture is None:
        return ""
    try:
        draft.cover = await downloaded_cover(picture.size, picture.read)
    except DomainError as error:
        return drafted_without_cover(error.user_message())
    return cover_kept()


def _categories(lead: str = "") -> Reply:
    keys = list(CATEGORIES)
    rows = [
        tuple((category_name(key), f"category:{key}") for key in keys[start : start + CHOSEN_ROW])
        for start in range(0, len(keys), CHOSEN_ROW)
    ]
    question = asked.category_question()
    return Reply(content=f"{lead}\n\n{question}" if lead else question, view=_buttons(*rows))


class RewardForm(discord.ui.Modal):
    """One reward: its title, price, quantity, what backers get and when."""

    def __init__(self, currency: str, typed: Mapping[str, str]) -> None:
        super().__init__(title=cut(gettext("New reward"), MODAL_TITLE), timeout=LIFETIME)
        self.currency = currency
        title = asked.Question(gettext("Reward title"), "", gettext("Early bird"))
        price = asked.Question(gettext("Price in {currency}").format(currency=currency), "", "50")
        quantity = asked.Question(gettext("How many are offered (blank: no limit)"), "", "100")
        described = asked.reward_description_question("")
        self.title_field = _field(self, title, typed, "title", limit=TITLE_MAX)
        self.price = _field(self, price, typed, "price")
        self.quantity = _field(self, quantity, typed, "quantity", required=False)
        self.described = _field(
            self, described, typed, "description", style=Paragraph, required=False, limit=1000
        )
        self.delivery = _field(self, asked.delivery_question(""), typed, "delivery")

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Read the reward; then where it ships, or what to correct."""
        typed = {
            "title": self.title_field.value,
            "price": self.price.value,
            "quantity": self.quantity.value,
            "description": self.described.value,
            "delivery": self.delivery.value,
        }
        currency = self.currency
        readers: dict[str, tuple[Reader, str]] = {
            "tier": (
                lambda text, now: draft_reward(text, typed["price"], typed["quantity"], currency),
                typed["title"],
            ),
            "description": (lambda text, now: draft_reward_description(text), typed["description"]),
            "delivery": (draft_delivery, typed["delivery"]),
        }

        async def work(caller: Caller) -> Reply:
            draft = _draft(interaction)
            draft.typed = typed
            try:
                read = _read_all(readers, interaction.client.services.clock.now())
            except FormRefused as refused:
                return _try_again(refused.reasons, "reward")
            tier: TierDraft = read["tier"]
            draft.tier = replace(
                tier, description=read["description"], estimated_delivery=read["delivery"]
            )
            draft.typed = {}
            return _where_it_ships(draft.tier.title)

        await answer(interaction, Mode.PRIVATE, work)


def _where_it_ships(title: str, refusal: str = "") -> Reply:
    question = asked.shipping_question(title).prompt
    buttons = (
        (asked.digital_label(), "ship:digital"),
        (asked.worldwide_label(), "ship:worldwide"),
        (gettext("Some countries…"), "ship:countries"),
    )
    content = f"{refusal}\n\n{question}" if refusal else question
    return Reply(content=fit(content, CONTENT), view=_buttons(buttons))


class CountriesForm(discord.ui.Modal):
    """The countries a reward ships to."""

    def __init__(self, title: str) -> None:
        super().__init__(title=cut(gettext("Where it ships"), MODAL_TITLE), timeout=LIFETIME)
        self.reward_title = title
        question = asked.Question(gettext("Country codes"), "", "FR, BE, CH")
        self.countries = _field(self, question, {}, "countries", limit=PLACEHOLDER * 10)

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Ship the reward to the countries typed, or ask again."""

        async def work(caller: Caller) -> Reply:
            draft = _draft(interaction)
            try:
                ships, countries = draft_shipping(self.countries.value)
            except DomainError as error:
                return _where_it_ships(self.reward_title, error.user_message())
            return _shipped(draft, ships, countries)

        await answer(interaction, Mode.PRIVATE, work)


def _described(draft: ChatDraft) -> TierDraft:
    if draft.tier is None:
        # A button of a reward added already, through another of its messages.
        raise RewardAlreadyAdded()
    return draft.tier


def _shipped(draft: ChatDraft, ships: bool, countries: tuple[str, ...]) -> Reply:
    tier = replace(_described(draft), ships=ships, ship_countries=countries)
    draft.tier = tier
    return _who_chooses(tier.title)


def _who_chooses(title: str, refusal: str = "") -> Reply:
    question = asked.limit_question(title).prompt
    early_birds = tuple((label, f"limit:{choice}") for label, choice in asked.early_bird_labels())
    buttons = (
        ((asked.open_to_all_label(), f"limit:{OPEN_TO_ALL}"),),
        (*early_birds, (gettext("Another time…"), "limit:other")),
        ((asked.secret_label(), f"limit:{BY_LINK}"),),
    )
    content = f"{refusal}\n\n{question}" if refusal else question
    return Reply(content=fit(content, CONTENT), view=_buttons(*buttons))


class WindowForm(discord.ui.Modal):
    """How long an early bird lasts from the launch, typed."""

    def __init__(self, title: str) -> None:
        super().__init__(title=cut(gettext("Early bird"), MODAL_TITLE), timeout=LIFETIME)
        self.reward_title = title
        self.window = _field(self, asked.limit_question(title), {}, "window")

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Make the reward an early bird for the time typed, or ask again."""

        async def work(caller: Caller) -> Reply:
            draft = _draft(interaction)
            now = interaction.client.services.clock.now()
            try:
                window = draft_window(self.window.value)
                reward = early_bird(_described(draft), window, now, draft.answers["ends_at"])
            except DomainError as error:
                return _who_chooses(self.reward_title, error.user_message())
            return _reward_added(draft, reward)

        await answer(interaction, Mode.PRIVATE, work)


def _reward_added(draft: ChatDraft, reward: DraftedReward) -> Reply:
    draft.tiers.append(reward)
    draft.tier = None
    tier = reward.tier
    goal: Money = draft.answers["goal"]
    last = len(draft.tiers) >= MAX_TIERS
    added = asked.reward_added(tier.title, Money(tier.amount, goal.currency), last=last)
    if last:
        return Reply(
            content=fit(added, CONTENT),
            view=_buttons(((gettext("Preview"), "preview"),)),
        )
    more = gettext("Add another reward, or see the preview.")
    return _next_rewards(f"{added} {more}")


def _next_rewards(text: str) -> Reply:
    buttons = ((gettext("Add a reward"), "reward"), (gettext("Preview"), "preview"))
    return Reply(content=fit(text, CONTENT), view=_buttons(buttons))


def _answers(draft: ChatDraft) -> DraftAnswers:
    try:
        return DraftAnswers(**draft.answers, tiers=tuple(draft.tiers))
    except TypeError:
        # A button of a step not reached yet (a stale message): nothing to preview.
        raise DraftGone() from None


@app_commands.command(name=N_("newcampaign"), description=N_("Draft a new campaign"))
@app_commands.rename(cover=N_("cover"))
@app_commands.describe(cover=N_("Its cover picture (optional): a JPEG, PNG or WebP, up to 10 MB"))
async def newcampaign(
    interaction: BackitInteraction, cover: discord.Attachment | None = None
) -> None:
    """/newcampaign [cover]: a fresh draft, and the form for the campaign itself; the cover is
    fetched once the form is sent, as a form must be the very first answer."""

    async def build(caller: Caller) -> discord.ui.Modal:
        interaction.client.campaign_drafts.start(interaction.user.id).picture = cover
        return CampaignForm({})

    await open_form(interaction, build)


class DraftButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    # Anything after the prefix: a step that means nothing is answered, not ignored.
    template=re.compile(re.escape(PREFIX) + r"(?P<step>[a-z]*):?(?P<value>.*)", re.DOTALL),
):
    """A button of a draft: a category, a funding model, a reward's shipping, the next step."""

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BackitInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DraftButton:
        """The pressed button, read back from its custom id."""
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: BackitInteraction) -> None:  # type: ignore[override]
        """Open the form the step needs, or keep the choice and show what comes next."""
        match = self.template.fullmatch(self.custom_id)
        assert match is not None, "discord.py dispatches only custom ids the template matches"
        step, value = match["step"], match["value"]
        forms = {("ship", "countries"), ("limit", "other")}
        if step in ("campaign", "reward") or (step, value) in forms:
            await open_form(interaction, lambda caller: _form(interaction, step))
            return

        async def work(caller: Caller) -> Reply:
            return await _chosen(interaction, caller, step, value)

        # A new step answers below; a choice changes its question in place.
        await answer(interaction, Mode.PRIVATE if step == "preview" else Mode.EDIT, work)


async def _form(interaction: BackitInteraction, step: str) -> discord.ui.Modal:
    """The form of a step, holding what was typed in it before a refusal."""
    draft = _draft(interaction)
    if step == "campaign":
        return CampaignForm(draft.typed)
    if "goal" not in draft.answers:
        raise DraftGone()
    if step == "reward":
        goal: Money = draft.answers["goal"]
        return RewardForm(goal.currency, draft.typed)
    if draft.tier is None:
        raise DraftGone()
    if step == "limit":
        return WindowForm(draft.tier.title)
    return CountriesForm(draft.tier.title)


async def _chosen(interaction: BackitInteraction, caller: Caller, step: str, value: str) -> Reply:
    """A choice kept, and the next question; or the preview, or the draft stored or dropped."""
    drafts = interaction.client.campaign_drafts
    draft = _draft(interaction)
    if step == "category" and value in CATEGORIES:
        draft.answers["category"] = value
        chosen = asked.category_chosen(category_name(value))
        buttons = tuple((label, f"funding:{model}") for label, model in asked.funding_labels())
        content = f"{chosen}\n\n{asked.funding_question()}"
        return Reply(content=content, view=_buttons(buttons))
    if step == "funding" and value in set(FundingModel):
        model = FundingModel(value)
        draft.answers["funding_model"] = model
        rewards = gettext(
            "Now the rewards: add each one with its form, or see the preview. "
            "A campaign may have none."
        )
        return _next_rewards(f"{funding_model(model)}\n\n{rewards}")
    if step == "ship" and value in ("digital", "worldwide"):
        return _shipped(draft, value == "worldwide", ())
    if step == "limit":
        now = interaction.client.services.clock.now()
        try:
            reward = with_limit(_described(draft), value, now, draft.answers["ends_at"])
        except EarlyBirdTooLong as error:
            return _who_chooses(_described(draft).title, error.user_message())
        if reward is not None:
            return _reward_added(draft, reward)
    if step == "preview":
        services = interaction.client.services
        now = services.clock.now()
        campaign = preview_campaign(caller, _answers(draft), now)
        # What Backit keeps of each pledge: above the card, which backers will see without it.
        fee = services.draft_fee(campaign)
        heading = asked.preview_heading() if fee is None else f"{fee}\n\n{asked.preview_heading()}"
        buttons = ((asked.create_draft_label(), "create"), (gettext("Cancel"), "cancel"))
        card = card_embed(draft_card(campaign, now))
        return Reply(content=heading, embed=card, view=_buttons(buttons))
    if step == "create":
        services = interaction.client.services
        campaign = await create_from_chat(services.uows, services.clock, caller, _answers(draft))
        if draft.cover is not None:
            await set_cover(services.uows(), caller.identity, campaign.slug, draft.cover)
        drafts.drop(interaction.user.id)
        # Titles are short: made inert, so that none is read as markdown.
        title = inert(campaign.title)
        try:
            submission = await submit(
                services.uows, services.clock, services.operators, caller.identity, campaign.id
            )
        except DomainError as error:
            said = draft_kept(title, campaign.slug, error.user_message())
        else:
            said = draft_submitted(replace(submission, campaign=replace(campaign, title=title)))
        return Reply(content=cut(said, CONTENT))
    if step == "cancel":
        drafts.drop(interaction.user.id)
        return Reply(content=asked.draft_discarded())
    raise DraftGone()
