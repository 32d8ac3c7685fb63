"""Choosing a campaign by what was typed: slug or title, whatever the case and accents."""

from __future__ import annotations

import pytest

from core.campaigns import Campaign
from core.errors import CampaignNotFound, TextTooLong
from core.i18n import use_locale
from core.identity import Identity, Platform
from core.usecases.choosing import (
    NAME_MAX,
    AmbiguousName,
    Purpose,
    UnknownName,
    campaigns_to_pick,
    chosen_campaign,
    folded,
    match_name,
    narrowed,
)
from core.usecases.communities import Place, link_campaign
from core.usecases.managing import create_campaign, publish_campaign
from tests.core.conftest import CREATOR, draft
from tests.fakes import FakeDatabase, FixedClock

STRANGER = Identity(Platform.TELEGRAM, "77")


@pytest.fixture
async def campaigns(db: FakeDatabase, clock: FixedClock) -> list[Campaign]:
    """Three live campaigns, two of whose titles begin alike, and a draft."""
    made = []
    for slug, title in (
        ("lamp", "The Reading Lamp"),
        ("cafe", "Café Étoile"),
        ("cafe-bis", "Café Étoile Deux"),
        ("zine", "Zine Quarterly"),
    ):
        await create_campaign(db.unit_of_work(), draft(clock, slug=slug, title=title))
        made.append(await publish_campaign(db.unit_of_work(), clock, slug))
    await create_campaign(db.unit_of_work(), draft(clock, slug="secret", title="Secret Plan"))
    return made


def _message(error: pytest.ExceptionInfo[Exception]) -> str:
    assert hasattr(error.value, "user_message")
    with use_locale("en"):
        return str(error.value.user_message())


def test_names_are_compared_without_case_accents_or_extra_spaces() -> None:
    assert folded("  CAFÉ   Étoile ") == "cafe etoile"


def test_a_slug_names_its_campaign(campaigns: list[Campaign]) -> None:
    assert match_name(campaigns, "Zine").slug == "zine"


def test_a_whole_title_names_its_campaign_even_when_a_longer_title_begins_with_it(
    campaigns: list[Campaign],
) -> None:
    assert match_name(campaigns, "cafe etoile").slug == "cafe"


def test_the_start_of_one_title_only_names_that_campaign(campaigns: list[Campaign]) -> None:
    assert match_name(campaigns, "the read").slug == "lamp"
    assert match_name(campaigns, "CAFÉ ÉTOILE D").slug == "cafe-bis"


def test_the_start_of_several_titles_lists_them(campaigns: list[Campaign]) -> None:
    with pytest.raises(AmbiguousName) as error:
        match_name(campaigns, "Caf")
    assert _message(error) == (
        "“Caf” could be several campaigns: “Café Étoile”, “Café Étoile Deux”. Which one?"
    )


def test_an_unknown_name_is_quoted_whole_with_close_matches(campaigns: list[Campaign]) -> None:
    with pytest.raises(UnknownName) as error:
        match_name(campaigns, "Lamp of <b>*Doom*</b>")
    assert _message(error) == (
        "There is no campaign called “Lamp of <b>*Doom*</b>”. Did you mean “The Reading Lamp”?"
    )


def test_a_name_like_nothing_is_quoted_whole(campaigns: list[Campaign]) -> None:
    with pytest.raises(CampaignNotFound) as error:
        match_name(campaigns, "submarine sandwich")
    assert _message(error) == "There is no campaign called “submarine sandwich”."


def test_control_characters_are_shown_not_sent(campaigns: list[Campaign]) -> None:
    with pytest.raises(CampaignNotFound) as error:
        match_name(campaigns, "a\x00b\x1b[31mc\r\nd\u202eevil")
    assert _message(error) == (
        "There is no campaign called “a\ufffdb\ufffd[31mc\ufffd\ufffdd\ufffdevil”."
    )


def test_ten_kilobytes_are_refused_before_being_quoted(campaigns: list[Campaign]) -> None:
    with pytest.raises(TextTooLong) as error:
        match_name(campaigns, "x" * 10_240)
    assert _message(error) == f"Campaign name can be at most {NAME_MAX} characters long."


def test_blank_input_names_nothing(campaigns: list[Campaign]) -> None:
    with pytest.raises(CampaignNotFound):
        match_name(campaigns, " \t ")


async def test_a_draft_is_named_by_its_creator_only(db: FakeDatabase, campaigns: object) -> None:
    async with db.unit_of_work() as uow:
        assert (await chosen_campaign(uow, "Secret", CREATOR, ())).slug == "secret"
        with pytest.raises(CampaignNotFound):
            await chosen_campaign(uow, "Secret", STRANGER, ())
        with pytest.raises(CampaignNotFound):
            await chosen_campaign(uow, "secret", STRANGER, ())


async def test_a_picked_id_names_its_campaign(db: FakeDatabase, campaigns: list[Campaign]) -> None:
    async with db.unit_of_work() as uow:
        assert (await chosen_campaign(uow, campaigns[3].id, STRANGER, ())).slug == "zine"


def test_autocomplete_puts_titles_starting_with_the_text_first(
    campaigns: list[Campaign],
) -> None:
    assert [c.slug for c in narrowed(campaigns, "etoile", 25)] == ["cafe", "cafe-bis"]
    assert [c.slug for c in narrowed(campaigns, "z", 25)] == ["zine"]
    assert len(narrowed(campaigns, "", 2)) == 2


async def test_pickers_offer_the_relevant_campaigns(
    db: FakeDatabase, clock: FixedClock, campaigns: list[Campaign]
) -> None:
    group = Place(Platform.TELEGRAM, "-5", "Makers", "en", caller_is_admin=True, caller=CREATOR)
    await link_campaign(db.unit_of_work, group, "zine")
    here = (Platform.TELEGRAM, "-5")

    async def offered(purpose: Purpose, who: Identity = CREATOR) -> set[str]:
        found = await campaigns_to_pick(db.unit_of_work, clock, purpose, who, here)
        return {c.slug for c in found}

    everything = {"lamp", "cafe", "cafe-bis", "zine", "secret"}
    assert await offered(Purpose.UPDATE) == everything
    assert await offered(Purpose.UPDATE, STRANGER) == set()
    assert await offered(Purpose.UNLINK) == {"zine"}
    # Not what is linked already; the creator's own draft too, as only they may link it.
    assert await offered(Purpose.LINK) == everything - {"zine"}
    assert await offered(Purpose.LINK, STRANGER) == {"lamp", "cafe", "cafe-bis"}
