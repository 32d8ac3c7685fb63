"""Drafting a campaign in chat: every answer read or refused with its reason, then stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.campaigns import CampaignStatus, FundingModel
from core.errors import DomainError
from core.i18n import use_locale
from core.money import Money
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
    draft_tier,
    draft_title,
    preview_campaign,
    slug_for,
)
from core.usecases.managing import TierDraft
from core.usecases.reward_limits import DraftedReward
from tests.core.conftest import caller
from tests.fakes import FakeDatabase, FixedClock

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def refusal(parse: Callable[[], object]) -> str:
    """The English message a refused answer gets."""
    with pytest.raises(DomainError) as refused:
        parse()
    with use_locale("en"):
        return refused.value.user_message()


def answers(**changes: object) -> DraftAnswers:
    """Answers for a €5,000 lamp campaign running 30 days, with one limited reward."""
    values: dict[str, object] = {
        "title": "The Reading Lamp",
        "blurb": "A warm lamp for long nights.",
        "goal": Money(500_000, "EUR"),
        "ends_at": NOW + timedelta(days=30),
        "category": "design",
        "funding_model": FundingModel.ALL_OR_NOTHING,
        "tiers": (
            DraftedReward(
                TierDraft(
                    "Early bird",
                    "The first lamp off the bench.",
                    5_000,
                    quantity_limit=100,
                    estimated_delivery=date(2027, 3, 1),
                    ships=True,
                    ship_countries=("FR", "BE"),
                )
            ),
        ),
        "description": "Oak and brass.\n\nMade in Lyon.",
    }
    values.update(changes)
    return DraftAnswers(**values)  # type: ignore[arg-type]


def test_a_title_and_a_blurb_are_kept_on_one_line() -> None:
    assert draft_title("  The   Reading\nLamp ") == "The Reading Lamp"
    assert draft_blurb("A warm lamp\nfor long nights. ") == "A warm lamp for long nights."


@pytest.mark.parametrize(
    ("parse", "message"),
    [
        (lambda: draft_title(" \n "), "Title: it is required"),
        (lambda: draft_title("x" * 81), "Title can be at most 80 characters long."),
        (lambda: draft_blurb(""), "Blurb: it is required"),
        (lambda: draft_blurb("x" * 201), "Blurb can be at most 200 characters long."),
    ],
)
def test_a_missing_or_long_text_is_refused(parse: Callable[[], object], message: str) -> None:
    assert refusal(parse) == message


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("5000", Money(500_000, "EUR")),
        ("5000 EUR", Money(500_000, "EUR")),
        ("49.90 usd", Money(4_990, "USD")),
        ("49,90 GBP", Money(4_990, "GBP")),
        ("750000JPY", Money(750_000, "JPY")),
        ("12.345 KWD", Money(12_345, "KWD")),
        ("1000000000", Money(100_000_000_000, "EUR")),
        ("£3,000", Money(300_000, "GBP")),
        ("3\u202f000,50 €", Money(300_050, "EUR")),
        ("5 000 EUR", Money(500_000, "EUR")),
        ("5,000 EUR", Money(500_000, "EUR")),
    ],
)
def test_a_goal_is_an_exact_amount_in_a_currency_euros_by_default(text: str, goal: Money) -> None:
    assert draft_goal(text) == goal


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("five thousand", "“five thousand” is not an amount: type digits, e.g. 5000"),
        ("5 000 EUR 5", "“5 000 EUR 5” is not an amount: type digits, e.g. 5000"),
        (
            "5000 euros",
            "“5000 euros”: “euros” is not a currency; use a code such as EUR, USD or GBP.",
        ),
        ("5000 ABC", "“5000 ABC”: “ABC” is not a currency; use a code such as EUR, USD or GBP."),
        ("5000.5 JPY", "“5000.5 JPY” has decimals, but JPY amounts are whole numbers."),
        ("0", "“0” is less than €0.01, the smallest amount accepted."),
        ("-5000", "“-5000” is less than €0.01, the smallest amount accepted."),
        (
            "1000000000.01",
            "“1000000000.01” is more than €1,000,000,000.00, the largest amount accepted.",
        ),
        ("0 JPY", "“0 JPY” is less than ¥1, the smallest amount accepted."),
    ],
)
def test_a_goal_that_is_not_an_amount_in_range_is_refused(text: str, message: str) -> None:
    assert refusal(lambda: draft_goal(text)) == message


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("1", NOW + timedelta(days=1)),
        (" 30 ", NOW + timedelta(days=30)),
        ("90", NOW + timedelta(days=90)),
        ("2026-11-02", datetime(2026, 11, 2, 23, 59, tzinfo=UTC)),
        ("2026-12-24", datetime(2026, 12, 24, 23, 59, tzinfo=UTC)),
        # The ninetieth day: the close of the day would be past the limit.
        ("2027-01-30", NOW + timedelta(days=90)),
    ],
)
def test_an_end_is_a_number_of_days_or_the_close_of_a_date(text: str, end: datetime) -> None:
    assert draft_end(text, NOW) == end


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "End: send a number of days from 1 to 90, or a date like 2026-12-24"),
        ("91", "End: send a number of days from 1 to 90, or a date like 2026-12-24"),
        ("soon", "End: send a number of days from 1 to 90, or a date like 2026-12-24"),
        ("24/12/2026", "End: send a number of days from 1 to 90, or a date like 2026-12-24"),
        ("2026-02-30", "End: send a number of days from 1 to 90, or a date like 2026-12-24"),
        ("2026-11-01", "End: the date must be after today and at most 90 days away"),
        ("2026-10-01", "End: the date must be after today and at most 90 days away"),
        ("2027-01-31", "End: the date must be after today and at most 90 days away"),
    ],
)
def test_an_end_out_of_range_or_unreadable_is_refused(text: str, message: str) -> None:
    assert refusal(lambda: draft_end(text, NOW)) == message


@pytest.mark.parametrize(
    ("text", "currency", "tier"),
    [
        ("Early bird | 50 | 100", "EUR", TierDraft("Early bird", "", 5_000, quantity_limit=100)),
        ("  Lamp |75.50", "EUR", TierDraft("Lamp", "", 7_550)),
        ("Pin | 5 eur", "EUR", TierDraft("Pin", "", 500)),
        ("Sticker | 500 | 1000000", "JPY", TierDraft("Sticker", "", 500, quantity_limit=1_000_000)),
    ],
)
def test_a_reward_is_a_title_a_price_and_maybe_a_quantity(
    text: str, currency: str, tier: TierDraft
) -> None:
    assert draft_tier(text, currency) == tier


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Lamp",
            "Rewards: send “Title | amount”, or “Title | amount | quantity” when it is limited",
        ),
        (
            "Lamp | 5 | 1 | 2",
            "Rewards: send “Title | amount”, or “Title | amount | quantity” when it is limited",
        ),
        (" | 50", "Reward title: it is required"),
        (f"{'x' * 61} | 50", "Reward title can be at most 60 characters long."),
        ("Lamp | fifty", "“fifty” is not an amount: type digits, e.g. 5000"),
        ("Lamp | 0", "“0” is less than €0.50, the smallest amount accepted."),
        ("Lamp | 50.0001", "“50.0001” has too many decimals: EUR amounts have 2 at most."),
        ("Lamp | 50 USD", "This campaign is in EUR; “50 USD” is in USD."),
        ("Lamp | $50", "This campaign is in EUR; “$50” is in USD."),
        ("Lamp | 50 | 0", "Reward quantity: it must be at least 1"),
        ("Lamp | 50 | many", "Reward quantity: write a whole number up to a million, like 100"),
        ("Lamp | 50 | 1000001", "Reward quantity: write a whole number up to a million, like 100"),
    ],
)
def test_a_malformed_reward_is_refused(text: str, message: str) -> None:
    assert refusal(lambda: draft_tier(text, "EUR")) == message


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("Sticker | 0.49", "EUR", "“0.49” is less than €0.50, the smallest amount accepted."),
        ("Sticker | 0.29", "GBP", "“0.29” is less than £0.30, the smallest amount accepted."),
        ("Sticker | 49", "JPY", "“49” is less than ¥50, the smallest amount accepted."),
    ],
)
def test_a_reward_cheaper_than_the_providers_minimum_charge_is_refused(
    text: str, currency: str, message: str
) -> None:
    assert refusal(lambda: draft_tier(text, currency)) == message
    assert draft_tier(text.replace("49", "50").replace("29", "30"), currency).title == "Sticker"


def test_a_description_keeps_its_paragraphs_and_may_be_empty() -> None:
    assert draft_description("  Oak and brass.\n\nMade in Lyon.\n") == (
        "Oak and brass.\n\nMade in Lyon."
    )
    assert draft_description(" \n ") == ""
    assert refusal(lambda: draft_description("x" * 20_001)) == (
        "Description can be at most 20000 characters long."
    )
    assert draft_reward_description(" A signed lamp. ") == "A signed lamp."
    assert refusal(lambda: draft_reward_description("x" * 1_001)) == (
        "Reward description can be at most 1000 characters long."
    )


def test_a_reward_from_separate_fields_reads_as_from_one_line() -> None:
    assert draft_reward("Early bird", "50", "100", "EUR") == draft_tier(
        "Early bird | 50 | 100", "EUR"
    )
    assert draft_reward(" Lamp ", "1 000,50 €", " ", "EUR") == TierDraft("Lamp", "", 100_050)


@pytest.mark.parametrize(
    "text",
    [
        "2027-03",
        "2027/3",
        " 03/2027 ",
        "3-2027",
        "March 2027",
        "mar 2027",
        "mars 2027",
        "MARS 2027",
    ],
)
def test_a_delivery_month_is_read_in_english_or_french_forms(text: str) -> None:
    assert draft_delivery(text, NOW) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("févr. 2027", 2),
        ("fevrier 2027", 2),
        ("août 2027", 8),
        ("Sept 2027", 9),
        ("décembre 2027", 12),
        ("2026-11", 11),
    ],
)
def test_accented_and_abbreviated_months_are_read(text: str, month: int) -> None:
    assert draft_delivery(text, NOW).month == month


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "“soon” is not a month: write it like 2027-03 or March 2027."),
        ("2027-13", "“2027-13” is not a month: write it like 2027-03 or March 2027."),
        ("2027-03-15", "“2027-03-15” is not a month: write it like 2027-03 or March 2027."),
        ("Smarch 2027", "“Smarch 2027” is not a month: write it like 2027-03 or March 2027."),
        ("٢٠٢٧-٠٣", "“٢٠٢٧-٠٣” is not a month: write it like 2027-03 or March 2027."),
        (
            "2026-10",
            "“2026-10” is in the past: the delivery month must be 2026-11 or later.",
        ),
        ("March 2020", "“March 2020” is in the past: the delivery month must be 2026-11 or later."),
        (
            "2036-12",
            "“2036-12” is too far ahead: the delivery month must be 2036-11 at the latest.",
        ),
    ],
)
def test_a_delivery_month_unreadable_past_or_too_far_is_refused(text: str, message: str) -> None:
    assert refusal(lambda: draft_delivery(text, NOW)) == message


@pytest.mark.parametrize(
    ("text", "shipping"),
    [
        ("digital", (False, ())),
        (" Numérique ", (False, ())),
        ("worldwide", (True, ())),
        ("Monde entier", (True, ())),
        ("fr, be ch", (True, ("FR", "BE", "CH"))),
        ("FR;FR;us", (True, ("FR", "US"))),
    ],
)
def test_shipping_is_digital_worldwide_or_a_list_of_countries(
    text: str, shipping: tuple[bool, tuple[str, ...]]
) -> None:
    assert draft_shipping(text) == shipping


@pytest.mark.parametrize("text", ["", "France", "FR, XX", "EU", "by post", "F" * 10_000])
def test_shipping_that_names_no_country_is_refused(text: str) -> None:
    assert refusal(lambda: draft_shipping(text)).endswith(
        "is not a shipping answer: write “digital”, “worldwide”, "
        "or two-letter country codes like FR, BE, CH."
    )


def test_the_reasons_speak_french() -> None:
    with pytest.raises(DomainError) as refused:
        draft_end("soon", NOW)
    with use_locale("fr"):
        assert refused.value.user_message().startswith("Fin\u00a0: ")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The Reading Lamp!", "the-reading-lamp"),
        ("Café crème — l’été 2026", "cafe-creme-lete-2026"),
        ("日本のランプ", "campaign"),
        ("Ada’s " + "very " * 10 + "long title", "adas-very-very-very-very-very-very-very"),
    ],
)
async def test_a_slug_is_the_title_in_lowercase_ascii_and_dashes(title: str, slug: str) -> None:
    async def nothing_taken(candidate: str) -> bool:
        return False

    assert await slug_for(title, nothing_taken) == slug


async def test_a_taken_slug_gets_the_next_free_number_within_forty_characters() -> None:
    taken = {"lamp", "lamp-2", "x" * 40}

    async def is_taken(candidate: str) -> bool:
        return candidate in taken

    assert await slug_for("Lamp", is_taken) == "lamp-3"
    assert await slug_for("x" * 50, is_taken) == "x" * 38 + "-2"


async def test_the_draft_is_stored_by_the_caller_starting_now(
    db: FakeDatabase, clock: FixedClock
) -> None:
    creator = caller(42)
    created = await create_from_chat(db.unit_of_work, clock, creator, answers())
    stored = db.state.campaigns[created.id]
    assert stored.status is CampaignStatus.DRAFT
    assert (stored.slug, stored.title, stored.blurb) == (
        "the-reading-lamp",
        "The Reading Lamp",
        "A warm lamp for long nights.",
    )
    assert (stored.creator_name, stored.creator_identities) == ("Person 42", (creator.identity,))
    assert (stored.starts_at, stored.ends_at) == (clock.now(), NOW + timedelta(days=30))
    assert (stored.goal, stored.category, stored.funding_model) == (
        Money(500_000, "EUR"),
        "design",
        FundingModel.ALL_OR_NOTHING,
    )
    assert stored.description == "Oak and brass.\n\nMade in Lyon."
    assert [
        (t.title, t.description, t.amount, t.quantity_limit, t.estimated_delivery)
        for t in stored.tiers
    ] == [
        ("Early bird", "The first lamp off the bench.", Money(5_000, "EUR"), 100, date(2027, 3, 1))
    ]
    assert [(t.ships, t.ship_countries) for t in stored.tiers] == [(True, ("FR", "BE"))]


async def test_a_second_campaign_with_the_same_title_gets_its_own_slug(
    db: FakeDatabase, clock: FixedClock
) -> None:
    first = await create_from_chat(db.unit_of_work, clock, caller(42), answers())
    second = await create_from_chat(db.unit_of_work, clock, caller(43), answers(tiers=()))
    assert (first.slug, second.slug) == ("the-reading-lamp", "the-reading-lamp-2")
    assert second.tiers == []


async def test_a_long_display_name_is_shortened_to_fit(db: FakeDatabase, clock: FixedClock) -> None:
    creator = replace(caller(42), display_name="Ada " * 30)
    created = await create_from_chat(db.unit_of_work, clock, creator, answers())
    assert created.creator_name == ("Ada " * 20).strip()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"tiers": (DraftedReward(TierDraft("Pin", "", 500)),) * 21},
            "Rewards: there are too many",
        ),
        (
            {"ends_at": NOW - timedelta(minutes=1)},
            "End: it must be after the start, and at most 90 days later",
        ),
    ],
)
async def test_answers_refused_as_a_whole_store_nothing(
    db: FakeDatabase, clock: FixedClock, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        await create_from_chat(db.unit_of_work, clock, caller(42), answers(**changes))
    with use_locale("en"):
        assert refused.value.user_message() == message
    assert db.state.campaigns == {}


def test_the_preview_is_the_campaign_as_it_will_be_stored(db: FakeDatabase) -> None:
    preview = preview_campaign(caller(42), answers(), NOW)
    assert (preview.id, preview.status, preview.creator_name) == (
        0,
        CampaignStatus.DRAFT,
        "Person 42",
    )
    assert [(t.title, t.amount) for t in preview.tiers] == [("Early bird", Money(5_000, "EUR"))]
    assert preview.description == "Oak and brass.\n\nMade in Lyon."
    assert db.state.campaigns == {}


@pytest.mark.parametrize(
    ("answered", "ends_in", "starts_back"),
    [
        # "30" days typed, the draft made twelve minutes later: it still runs 30 days.
        (timedelta(minutes=12), timedelta(days=30), timedelta(minutes=12)),
        # An end typed as a date, hours from a whole day: the draft starts when it is made.
        (timedelta(minutes=12), timedelta(days=9, hours=11), timedelta(0)),
    ],
)
async def test_a_run_typed_in_days_keeps_its_days_from_the_answer_to_the_draft(
    db: FakeDatabase,
    clock: FixedClock,
    answered: timedelta,
    ends_in: timedelta,
    starts_back: timedelta,
) -> None:
    ends_at = clock.now() + ends_in
    clock.advance(answered)
    created = await create_from_chat(db.unit_of_work, clock, caller(42), answers(ends_at=ends_at))
    assert created.starts_at == clock.now() - starts_back
    assert created.ends_at == ends_at
