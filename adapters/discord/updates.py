"""/update: a creator writes an update in a form, sees it, picks its audience, and it is sent."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands

from adapters.discord.answering import answer, open_form
from adapters.discord.browsing import campaign_names
from adapters.discord.callers import BackitInteraction
from adapters.discord.drafts import LIFETIME, Draft
from adapters.discord.layout import static_view
from adapters.discord.limits import (
    BUTTON_LABEL,
    CONTENT,
    INPUT_LABEL,
    MODAL_FIELDS,
    MODAL_TITLE,
    TEXT_INPUT,
    cut,
    fit,
)
from adapters.discord.render import text_embed
from adapters.discord.replies import Mode, Reply
from core.errors import DomainError
from core.i18n import N_, gettext
from core.identity import Caller
from core.updates import UPDATE_MAX_CHARS, UpdateAudience
from core.usecases.choosing import Purpose
from core.usecases.updating import (
    UpdateReach,
    campaign_to_update,
    post_update,
    update_reach,
    update_text,
)
from core.views.intents import PostUpdate
from core.views.updates import update_discarded, update_preview, update_sent

# A form field holds at most 4,000 characters: a longer update goes on in the next fields,
# each a new paragraph, up to core's limit for an update (or the five fields a form holds).
PARAGRAPH = "\n\n"
AUDIENCE_PREFIX = "update:"
CANCEL = "cancel"
CHOICES = frozenset({*(audience.value for audience in UpdateAudience), CANCEL})


def field_sizes(total: int = UPDATE_MAX_CHARS) -> list[int]:
    """How many characters each field of the form takes, so that all of them fit `total`."""
    sizes: list[int] = []
    left = total
    while left > 0 and len(sizes) < MODAL_FIELDS:
        sizes.append(min(TEXT_INPUT, left))
        left -= sizes[-1] + len(PARAGRAPH)
    return sizes


class DraftExpired(DomainError):
    """An audience button whose draft is gone: sent already, replaced, or the bot restarted."""

    template = N_("This draft has expired: please write the update again.")


class UpdateForm(discord.ui.Modal):
    """The text of an update: the first field, and more fields for a long one."""

    def __init__(self, campaign_id: int, title: str) -> None:
        heading = gettext("Update for “{title}”").format(title=title)
        super().__init__(title=cut(heading, MODAL_TITLE), timeout=LIFETIME)
        self.campaign_id = campaign_id
        self.campaign_title = title
        self.parts: list[discord.ui.TextInput[UpdateForm]] = []
        for number, size in enumerate(field_sizes()):
            part: discord.ui.TextInput[UpdateForm] = discord.ui.TextInput(
                style=discord.TextStyle.paragraph, max_length=size, required=number == 0
            )
            label = gettext("Update") if number == 0 else gettext("Continued (optional)")
            self.add_item(discord.ui.Label(text=cut(label, INPUT_LABEL), component=part))
            self.parts.append(part)

    async def on_submit(self, interaction: BackitInteraction, /) -> None:  # type: ignore[override]
        """Check the text, keep it as a draft, and ask for its audience."""

        async def work(caller: Caller) -> Reply:
            text = update_text(
                PARAGRAPH.join(p.value.strip() for p in self.parts if p.value.strip())
            )
            drafts = interaction.client.drafts
            draft = drafts.keep(interaction.user.id, self.campaign_id, self.campaign_title, text)
            reach = await update_reach(interaction.client.services.uows, self.campaign_id)
            return _preview(draft, reach)

        await answer(interaction, Mode.PRIVATE, work)


def _preview(draft: Draft, reach: UpdateReach) -> Reply:
    preview = update_preview(draft.title, reach)
    choices = [
        (label, audience.value, discord.ButtonStyle.primary) for audience, label in preview.choices
    ]
    choices.append((preview.cancel, CANCEL, discord.ButtonStyle.secondary))
    buttons = [
        discord.ui.Button[discord.ui.View](
            label=cut(label, BUTTON_LABEL),
            style=style,
            custom_id=f"{AUDIENCE_PREFIX}{choice}:{draft.key}",
        )
        for label, choice, style in choices
    ]
    warning = fit(f"⚠️ {preview.warning}", CONTENT) if preview.warning else None
    # The preview only: the update itself is delivered whole.
    return Reply(
        content=warning, embed=text_embed(preview.heading, draft.text), view=static_view(buttons)
    )


@app_commands.command(name=N_("update"), description=N_("Post an update to your backers"))
@app_commands.rename(name=N_("name"))
@app_commands.describe(name=N_("The campaign: type to search the titles"))
@app_commands.autocomplete(name=campaign_names(Purpose.UPDATE))
async def update(interaction: BackitInteraction, name: str) -> None:
    """/update <name>: the form, for the campaign's creator or an operator only."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        campaign = await campaign_to_update(
            services.uows, services.operators, caller.identity, name
        )
        return UpdateForm(campaign.id, campaign.title)

    await open_form(interaction, build)


async def post_update_button(interaction: BackitInteraction, intent: PostUpdate) -> None:
    """A dashboard's "Post an update" button: the same form, for the campaign it names."""

    async def build(caller: Caller) -> discord.ui.Modal:
        services = interaction.client.services
        campaign = await campaign_to_update(
            services.uows, services.operators, caller.identity, intent.campaign_id
        )
        return UpdateForm(campaign.id, campaign.title)

    await open_form(interaction, build)


class AudienceButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    # Anything after the prefix: a choice or key that means nothing is answered, not ignored.
    template=re.compile(re.escape(AUDIENCE_PREFIX) + r"(?P<choice>[^:]*):?(?P<key>.*)", re.DOTALL),
):
    """An audience button under a preview: sends the draft through core, or drops it."""

    @classmethod
    async def from_custom_id(  # type: ignore[override]
        cls, interaction: BackitInteraction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> AudienceButton:
        """The pressed button, read back from its custom id."""
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: BackitInteraction) -> None:  # type: ignore[override]
        """Post the draft to the chosen audience, or discard it; the preview says which."""
        match = self.template.fullmatch(self.custom_id)
        assert match is not None, "discord.py dispatches only custom ids the template matches"
        choice, key = match["choice"], match["key"]

        async def work(caller: Caller) -> Reply:
            draft = interaction.client.drafts.take(interaction.user.id, key)
            if draft is None or choice not in CHOICES:
                raise DraftExpired()
            if choice == CANCEL:
                return Reply(content=fit(update_discarded(), CONTENT))
            services = interaction.client.services
            posted = await post_update(
                services.uows(),
                services.clock,
                services.operators,
                caller.identity,
                draft.campaign_id,
                draft.text,
                UpdateAudience(choice),
                # The dispatcher keeps one message in the creator's DMs up to date with the
                # delivery count: their figures are not the channel's business.
                report_chat=str(interaction.user.id),
            )
            return Reply(content=fit(update_sent(posted.queued), CONTENT))

        await answer(interaction, Mode.EDIT, work)
