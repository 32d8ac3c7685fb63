"""Buttons, selects and modals: persistent views, message updates and modal round trips."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from adapters.standins.discord import ActionRefused, DiscordStandin, Guild, Member, Message
from tests.discord_fixtures import GUILD_READY_TIMEOUT, running


class PledgeModal(discord.ui.Modal, title="Back this campaign"):
    """A custom amount, in a bare row, and a note, under a label."""

    amount: discord.ui.TextInput[PledgeModal] = discord.ui.TextInput(
        label="Amount", custom_id="amount", max_length=6
    )
    note: discord.ui.Label[PledgeModal] = discord.ui.Label(
        text="A note for the creator",
        component=discord.ui.TextInput(
            custom_id="note", style=discord.TextStyle.long, required=False
        ),
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Thank the member for the amount they typed."""
        assert isinstance(self.note.component, discord.ui.TextInput)
        await interaction.response.send_message(
            f"pledged {self.amount.value} ({self.note.component.value or 'no note'})",
            ephemeral=True,
        )


class CampaignCard(discord.ui.View):
    """A persistent card: tier and custom-amount buttons, a sort select, and a link."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(discord.ui.Button(label="Campaign page", url="https://backit.test/c/lamp"))

    @discord.ui.button(label="Early bird — €25", custom_id="tier:lamp:1")
    async def tier(
        self, interaction: discord.Interaction, _: discord.ui.Button[CampaignCard]
    ) -> None:
        """Answer privately with a personal pledge link."""
        link = discord.ui.View()
        link.add_item(
            discord.ui.Button(label="Pledge €25", url="https://backit.test/pledge/signed")
        )
        await interaction.response.send_message(
            "Your personal pledge link", view=link, ephemeral=True
        )

    @discord.ui.button(label="Other amount", custom_id="custom:lamp")
    async def custom(
        self, interaction: discord.Interaction, _: discord.ui.Button[CampaignCard]
    ) -> None:
        """Open the custom-amount modal."""
        await interaction.response.send_modal(PledgeModal(custom_id="pledge:lamp"))

    @discord.ui.button(label="Sold out", custom_id="tier:lamp:2", disabled=True)
    async def sold_out(
        self, interaction: discord.Interaction, _: discord.ui.Button[CampaignCard]
    ) -> None:
        """Never called: the button is disabled."""
        await interaction.response.send_message("unreachable")

    @discord.ui.button(label="Follow", custom_id="follow:lamp")
    async def follow(
        self, interaction: discord.Interaction, _: discord.ui.Button[CampaignCard]
    ) -> None:
        """Acknowledge at once, then change the card."""
        # Slow work: acknowledge at once, then change the card when done.
        await interaction.response.defer()
        await interaction.edit_original_response(content="Reading lamp — 1 follower")

    @discord.ui.select(
        custom_id="sort:lamp",
        options=[
            discord.SelectOption(label=s.title(), value=s) for s in ("newest", "ending", "funded")
        ],
    )
    async def sort(
        self, interaction: discord.Interaction, select: discord.ui.Select[CampaignCard]
    ) -> None:
        """Show the card sorted as picked."""
        await interaction.response.edit_message(content=f"sorted by {select.values[0]}")


class CardBot(discord.Client):
    """Posts a campaign card and keeps its view registered across restarts."""

    def __init__(self) -> None:
        super().__init__(intents=discord.Intents.default(), guild_ready_timeout=GUILD_READY_TIMEOUT)
        self.tree = app_commands.CommandTree(self)

        @self.tree.command(description="Show the campaign card")
        async def card(interaction: discord.Interaction) -> None:
            """Post the campaign card."""
            await interaction.response.send_message("Reading lamp", view=CampaignCard())

    async def setup_hook(self) -> None:
        """Keep the card working across restarts, then sync the commands."""
        self.add_view(CampaignCard())
        await self.tree.sync()


@pytest.fixture
def guild(discord_standin: DiscordStandin) -> Guild:
    """A server with a general channel."""
    return discord_standin.guild("Makers")


@pytest.fixture
def alice(discord_standin: DiscordStandin, guild: Guild) -> Member:
    """A member of the server."""
    return discord_standin.member(guild, discord_standin.user("alice"))


async def posted_card(member: Member) -> Message:
    """The card the bot posts for /card."""
    shown = await member.slash("card")
    await shown.response()
    assert shown.original is not None
    return shown.original


async def test_a_button_press_reaches_the_view_and_is_answered_privately(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)
        press = await alice.press(card, "tier:lamp:1")
        answer = await press.response()

    [row] = answer["data"]["components"]
    assert press.payload["data"] == {"custom_id": "tier:lamp:1", "component_type": 2}
    assert press.payload["message"]["id"] == str(card.id)
    assert answer["type"] == 4
    assert press.ephemeral
    assert row["components"][0]["url"] == "https://backit.test/pledge/signed"


async def test_a_persistent_view_answers_after_the_bot_restarts(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)

    async with running(CardBot()):
        press = await alice.press(card, "tier:lamp:1")

        assert (await press.response())["data"]["content"] == "Your personal pledge link"


async def test_a_select_updates_the_message_it_sits_on(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)
        pick = await alice.select(card, "sort:lamp", ["ending"])
        answer = await pick.response()

    assert pick.payload["data"]["values"] == ["ending"]
    assert answer["type"] == 7
    assert card.content == "sorted by ending"
    assert card.payload["edited_timestamp"] is not None


async def test_a_deferred_update_then_edits_the_card_itself(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)
        edits = discord_standin.stream()
        follow = await alice.press(card, "follow:lamp")
        answer = await follow.response()
        edited = await edits.next("message_edited")
        edits.close()

    assert answer["type"] == 6
    assert follow.original is card
    assert edited.message is not None
    assert edited.message["id"] == str(card.id)
    assert card.content == "Reading lamp — 1 follower"


async def test_a_modal_opened_by_a_button_is_filled_and_submitted(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)
        opened = await alice.press(card, "custom:lamp")
        submitted = await alice.submit_modal(opened, {"amount": "40", "note": "Good luck"})
        answer = await submitted.response()

    assert opened.modal is not None
    assert opened.modal["title"] == "Back this campaign"
    assert submitted.payload["data"]["custom_id"] == "pledge:lamp"
    assert answer["data"]["content"] == "pledged 40 (Good luck)"


async def test_a_modal_checks_its_fields_as_the_client_does(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        opened = await alice.press(await posted_card(alice), "custom:lamp")

        with pytest.raises(ActionRefused):
            await alice.submit_modal(opened, {"amount": "1234567"})
        with pytest.raises(ActionRefused):
            await alice.submit_modal(opened, {"note": "no amount"})
        with pytest.raises(ActionRefused):
            await alice.submit_modal(opened, {"amount": "5", "colour": "red"})


async def test_disabled_link_and_missing_components_cannot_be_used(
    discord_standin: DiscordStandin, alice: Member
) -> None:
    async with running(CardBot()):
        card = await posted_card(alice)

        with pytest.raises(ActionRefused):
            await alice.press(card, "tier:lamp:2")
        with pytest.raises(ActionRefused):
            await alice.press(card, "tier:lamp:9")
        with pytest.raises(ActionRefused):
            await alice.select(card, "sort:lamp", ["cheapest"])
        with pytest.raises(ActionRefused):
            await alice.select(card, "tier:lamp:1", ["newest"])

    links = [c for c in card.interactive() if c.get("url")]
    assert [link["style"] for link in links] == [5]
    assert "custom_id" not in links[0]


async def test_an_ephemeral_message_is_pressed_only_by_its_reader(
    discord_standin: DiscordStandin, guild: Guild, alice: Member
) -> None:
    bob = discord_standin.member(guild, discord_standin.user("bob"))
    async with running(CardBot()):
        card = await posted_card(alice)
        answer = await alice.press(card, "tier:lamp:1")
        await answer.response()
        assert answer.original is not None

        with pytest.raises(ActionRefused):
            await bob.press(answer.original, "anything")
