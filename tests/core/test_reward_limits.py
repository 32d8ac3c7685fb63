"""Who may choose a reward drafted in chat: an early bird's time read in English or French and
kept within the run, a secret reward given its code, each stored relative to the start."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import DomainError
from core.i18n import use_locale
from core.secret_codes import SECRET_CODE
from core.usecases.drafting import create_from_chat, preview_campaign
from core.usecases.managing import TierDraft
from core.usecases.reward_limits import (
    BY_LINK,
    OPEN_TO_ALL,
    DraftedReward,
    draft_window,
    early_bird,
    with_limit,
)
from core.views.drafting import limit_chosen
from tests.core.conftest import caller
from tests.core.test_drafting import answers
from tests.fakes import FakeDatabase, FixedClock

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
END = NOW + timedelta(days=30)
PIN = TierDraft("Pin", "", 500)
LAMP = TierDraft("Lamp", "", 7_500)


def refusal(parse: Callable[[], object], locale: str = "en") -> str:
    """The message a refused answer gets, in `locale`."""
    with pytest.raises(DomainError) as refused:
        parse()
    with use_locale(locale):
        return refused.value.user_message()


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("72 hours", timedelta(hours=72)),
        ("3 days", timedelta(days=3)),
        ("72h", timedelta(hours=72)),
        ("3j", timedelta(days=3)),
        ("3 jours", timedelta(days=3)),
        (" 48 Heures. ", timedelta(hours=48)),
        ("1 day", timedelta(days=1)),
        ("1 hour", timedelta(hours=1)),
        ("2 semaines", timedelta(weeks=2)),
        ("1 week", timedelta(weeks=1)),
        ("90 days", timedelta(days=90)),
    ],
)
def test_an_early_birds_time_is_read_in_english_or_french_units(
    text: str, window: timedelta
) -> None:
    assert draft_window(text) == window


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "“soon” is not a length of time: write it like 72 hours or 3 days."),
        ("72", "“72” is not a length of time: write it like 72 hours or 3 days."),
        ("3 months", "“3 months” is not a length of time: write it like 72 hours or 3 days."),
        ("1.5 days", "“1.5 days” is not a length of time: write it like 72 hours or 3 days."),
        ("0 hours", "“0 hours” is out of range: an early bird lasts from 1 hour to 90 days."),
        ("91 days", "“91 days” is out of range: an early bird lasts from 1 hour to 90 days."),
        ("13 weeks", "“13 weeks” is out of range: an early bird lasts from 1 hour to 90 days."),
    ],
)
def test_a_time_unreadable_or_out_of_range_is_refused(text: str, message: str) -> None:
    assert refusal(lambda: draft_window(text)) == message


def test_the_refusals_speak_french() -> None:
    assert refusal(lambda: draft_window("bientôt"), "fr") == (
        "«\u00a0bientôt\u00a0» n’est pas une durée\u00a0: écrivez-la comme 72 heures ou 3 jours."
    )
    assert refusal(lambda: draft_window("100 jours"), "fr") == (
        "«\u00a0100 jours\u00a0» est hors limites\u00a0: une offre lève-tôt dure de 1 heure "
        "à 90 jours."
    )


def test_an_early_bird_must_close_by_the_end_of_the_run() -> None:
    ends = NOW + timedelta(days=7)
    assert early_bird(PIN, timedelta(days=7), NOW, ends).offered_for == timedelta(days=7)
    too_long = refusal(lambda: early_bird(PIN, timedelta(days=7, hours=1), NOW, ends))
    assert too_long == (
        "“Pin” cannot be an early bird for that long: the campaign ends on "
        "Nov 8, 2026 at 12:00\u202fPM UTC. Choose a shorter time, or open it to all."
    )
    in_french = refusal(lambda: early_bird(PIN, timedelta(days=8), NOW, ends), "fr")
    assert in_french.startswith("«\u00a0Pin\u00a0» ne peut pas être une offre lève-tôt")


async def test_an_early_bird_closes_that_long_after_the_start_and_a_secret_reward_gets_a_code(
    db: FakeDatabase, clock: FixedClock
) -> None:
    rewards = (
        early_bird(PIN, timedelta(hours=48), clock.now(), END),
        with_limit(LAMP, BY_LINK, clock.now(), END),
        with_limit(TierDraft("Book", "", 2_000), OPEN_TO_ALL, clock.now(), END),
    )
    clock.advance(timedelta(minutes=5))
    created = await create_from_chat(db.unit_of_work, clock, caller(42), answers(tiers=rewards))
    pin, lamp, book = db.state.campaigns[created.id].tiers
    # From the start the draft is created with: five minutes back, its run is whole days.
    assert created.starts_at == clock.now() - timedelta(minutes=5)
    assert (END - created.starts_at) % timedelta(days=1) == timedelta(0)
    assert (pin.opens_at, pin.closes_at) == (None, created.starts_at + timedelta(hours=48))
    assert (pin.secret, lamp.secret, book.secret) == (False, True, False)
    assert SECRET_CODE.match(lamp.secret_code or "")
    assert (lamp.opens_at, lamp.closes_at, book.closes_at) == (None, None, None)


async def test_an_early_bird_that_outlasts_the_run_by_creation_is_refused_by_name(
    db: FakeDatabase, clock: FixedClock
) -> None:
    ends = NOW + timedelta(days=3)
    rewards = (early_bird(PIN, timedelta(days=3), clock.now(), ends),)
    clock.advance(timedelta(minutes=1))
    with pytest.raises(DomainError) as refused:
        await create_from_chat(
            db.unit_of_work, clock, caller(42), answers(ends_at=ends, tiers=rewards)
        )
    with use_locale("en"):
        assert refused.value.user_message().startswith(
            "“Pin” cannot be an early bird for that long: the campaign ends on Nov 4, 2026"
        )
    assert db.state.campaigns == {}


def test_the_preview_has_the_same_window_as_the_draft_stored() -> None:
    rewards = (early_bird(PIN, timedelta(hours=48), NOW, END),)
    (pin,) = preview_campaign(caller(42), answers(tiers=rewards), NOW).tiers
    assert (pin.opens_at, pin.closes_at) == (None, NOW + timedelta(hours=48))


@pytest.mark.parametrize(
    ("locale", "window", "said"),
    [
        ("en", timedelta(hours=48), "Early bird: the first 2 days from the launch"),
        ("en", timedelta(hours=36), "Early bird: the first 36 hours from the launch"),
        ("fr", timedelta(weeks=1), "Lève-tôt\u00a0: pendant 7\u00a0jours à partir du lancement"),
    ],
)
def test_the_question_answered_says_how_long_an_early_bird_lasts(
    locale: str, window: timedelta, said: str
) -> None:
    reward = early_bird(PIN, window, NOW, END)
    with use_locale(locale):
        assert limit_chosen(reward) == said


def test_a_button_chooses_open_to_all_secret_or_an_offered_early_bird_and_nothing_else() -> None:
    assert with_limit(PIN, OPEN_TO_ALL, NOW, END) == DraftedReward(PIN)
    assert with_limit(PIN, BY_LINK, NOW, END) == DraftedReward(replace(PIN, secret=True))
    assert with_limit(PIN, "168", NOW, END) == DraftedReward(PIN, timedelta(weeks=1))
    assert with_limit(PIN, "72", NOW, END) is None
    assert with_limit(PIN, "secret", NOW, END) is None


def test_the_question_answered_says_open_to_all_or_secret() -> None:
    everyone, by_link = (with_limit(PIN, choice, NOW, END) for choice in (OPEN_TO_ALL, BY_LINK))
    assert everyone is not None
    assert by_link is not None
    with use_locale("en"):
        assert limit_chosen(everyone) == "Open to all, as long as the campaign runs"
        assert limit_chosen(by_link) == "Secret: offered by link only"
    with use_locale("fr"):
        assert limit_chosen(by_link) == "Secrète\u00a0: proposée par lien seulement"
