"""A card's rewards and stretch goals as Discord embed fields, within every embed limit."""

from __future__ import annotations

import discord

from adapters.discord.limits import EMBED_FIELDS, EMBED_TOTAL, FIELD_VALUE
from adapters.discord.render import CONTINUED, card_embed
from core.views.model import Card, Entry, Field, Progress, Section


def catalog(count: int, description: str = "Oak and brass, turned by hand.") -> tuple[Section, ...]:
    """Stretch goals, then `count` rewards with every detail."""
    rewards = tuple(
        Entry(
            f"Reward {n} · €{n}.00",
            (description, "Estimated delivery: March 2027", "Ships to France", "3 backers"),
        )
        for n in range(1, count + 1)
    )
    stretch = (Entry("✓ €6,000.00 reached"), Entry("€8,000.00: €1,200.00 to go"))
    return (Section("Stretch goals", stretch), Section("Rewards", rewards))


def with_sections(sections: tuple[Section, ...], body: str = "A warm lamp.") -> discord.Embed:
    """The embed of a card with five figures and these sections."""
    figures = tuple(Field(f"Figure {n}", "€625.50 of €1,000.00") for n in range(5))
    progress = Progress(62, "▰▰▰▰▰▰▱▱▱▱", "62%")
    return card_embed(
        Card("Lamp", "by Ada · Design", body, progress, figures, None, (), sections=sections)
    )


def test_sections_are_full_width_fields_after_the_inline_figures() -> None:
    embed = with_sections(catalog(2))
    fields = [(field.name, field.value, field.inline) for field in embed.fields]
    assert fields[5:] == [
        ("Stretch goals", "✓ €6,000.00 reached\n€8,000.00: €1,200.00 to go", False),
        (
            "Rewards",
            "**Reward 1 · €1.00**\nOak and brass, turned by hand.\nEstimated delivery: March 2027"
            "\nShips to France\n3 backers\n\n**Reward 2 · €2.00**\nOak and brass, turned by hand."
            "\nEstimated delivery: March 2027\nShips to France\n3 backers",
            False,
        ),
    ]
    assert all(field.inline for field in embed.fields[:5])


def test_a_long_catalog_goes_on_in_unnamed_fields_and_stops_within_the_embed_limits() -> None:
    embed = with_sections(catalog(80, "d" * 900), body="word " * 1000)
    assert len(embed) <= EMBED_TOTAL
    assert len(embed.fields) <= EMBED_FIELDS
    assert all(len(field.value or "") <= FIELD_VALUE for field in embed.fields)
    assert embed.fields[6].name == "Rewards"
    assert embed.fields[7].name == CONTINUED
    shown = sum((field.value or "").count("**Reward ") for field in embed.fields)
    assert (embed.fields[-1].value or "").endswith(f"… and {80 - shown} more")
    # The story gave way but kept its first lines.
    assert "word word" in (embed.description or "")


def test_markdown_in_a_reward_is_made_inert() -> None:
    sections = (Section("Rewards", (Entry("**Gold** @everyone", ("_big_",)),)),)
    value = with_sections(sections).fields[5].value
    assert value == "**\\*\\*Gold\\*\\* @\u200beveryone**\n\\_big\\_"
