"""What a creator drafting a campaign is asked, and what they are told back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from babel.units import format_unit

from core.campaigns import FundingModel
from core.i18n import current_locale, gettext
from core.money import Money
from core.usecases.managing import BLURB_MAX, MAX_DURATION, TITLE_MAX
from core.usecases.reward_limits import EARLY_BIRDS, DraftedReward, early_bird_choice
from core.views.formatting import funding_model

FUNDING_MODELS = (FundingModel.ALL_OR_NOTHING, FundingModel.FLEXIBLE)


@dataclass(frozen=True, slots=True)
class Question:
    """One answer asked for: a short label (a form field), the whole question (a chat
    message), and an example (a form field's placeholder)."""

    label: str
    prompt: str
    example: str


def title_question() -> Question:
    """The campaign's title."""
    prompt = gettext("What is your campaign called? At most {limit} characters. /cancel stops.")
    return Question(gettext("Title"), prompt.format(limit=TITLE_MAX), gettext("The Reading Lamp"))


def blurb_question() -> Question:
    """The one-sentence blurb."""
    prompt = gettext("In one sentence, what is it? At most {limit} characters.")
    return Question(
        gettext("One-sentence blurb"),
        prompt.format(limit=BLURB_MAX),
        gettext("A warm lamp for long nights."),
    )


def description_question() -> Question:
    """The longer story, which may be skipped."""
    return Question(
        gettext("The story (optional)"),
        gettext(
            "Now the longer story: what you are making, why, and what the money is for. "
            "Paragraphs are kept. Or press “Skip”."
        ),
        gettext("What you are making, why, and what the money is for"),
    )


def goal_question() -> Question:
    """The goal, in any currency."""
    return Question(
        gettext("Goal, with its currency"),
        gettext(
            "How much do you need? Send an amount and its currency, like 5000 EUR or £3,000; "
            "an amount alone is in euros."
        ),
        gettext("5000 EUR"),
    )


def end_question() -> Question:
    """When the campaign ends."""
    prompt = gettext(
        "How long will it run? Send a number of days from 1 to {days}, or its last day, "
        "like 2026-12-24 (it then ends at 23:59 UTC)."
    )
    return Question(
        gettext("Days it runs, or its last day"),
        prompt.format(days=MAX_DURATION.days),
        gettext("30, or 2026-12-24"),
    )


def reward_description_question(title: str) -> Question:
    """What a backer of the reward gets, which may be skipped."""
    prompt = gettext("What does a backer of “{title}” get? Describe it, or press “Skip”.")
    return Question(
        gettext("What backers get (optional)"),
        prompt.format(title=title),
        gettext("A signed lamp, and your name in the manual"),
    )


def delivery_question(title: str) -> Question:
    """The reward's estimated delivery month."""
    prompt = gettext(
        "When do you expect to deliver “{title}”? Send a month and a year, "
        "like 2027-03 or March 2027."
    )
    return Question(
        gettext("Estimated delivery (month and year)"),
        prompt.format(title=title),
        gettext("2027-03, or March 2027"),
    )


def shipping_question(title: str) -> Question:
    """Whether and where the reward ships."""
    prompt = gettext(
        "Where does “{title}” ship? Press “Digital” if nothing is sent, “Worldwide” if it "
        "ships anywhere, or send the two-letter codes of the countries it ships to, "
        "like FR, BE, CH."
    )
    return Question(
        gettext("Shipping"),
        prompt.format(title=title),
        gettext("digital, worldwide, or FR, BE, CH"),
    )


def limit_question(title: str) -> Question:
    """Who may choose the reward, and for how long."""
    prompt = gettext(
        "Who can choose “{title}”, and for how long? “{everyone}”: anyone, as long as the "
        "campaign runs. An early bird is offered for a time from the launch: “{first}”, "
        "“{week}”, or another time, like 72 hours or 3 days. “{secret}”: listed nowhere, "
        "offered only through a link you share."
    )
    first, week = (label for label, _ in early_bird_labels())
    shown = prompt.format(
        title=title, everyone=open_to_all_label(), first=first, week=week, secret=secret_label()
    )
    return Question(gettext("Early bird: how long from the launch"), shown, gettext("72 hours"))


def open_to_all_label() -> str:
    """The button for a reward anyone may choose all campaign long."""
    return gettext("Open to all")


def secret_label() -> str:
    """The button for a reward offered only by link."""
    return gettext("Secret: by link only")


def early_bird_labels() -> tuple[tuple[str, str], ...]:
    """Each early bird offered as a button, and what it answers."""
    names = (gettext("First 48 hours"), gettext("First week"))
    return tuple(
        (name, early_bird_choice(window)) for name, window in zip(names, EARLY_BIRDS, strict=True)
    )


def _span(window: timedelta) -> str:
    """ "3 days", or "36 hours" when it is not a whole number of days."""
    hours = int(window.total_seconds()) // 3_600
    locale = current_locale.get()
    if hours % 24:
        return format_unit(hours, "duration-hour", locale=locale)
    return format_unit(hours // 24, "duration-day", locale=locale)


def limit_chosen(reward: DraftedReward) -> str:
    """What the question about who may choose the reward becomes once answered."""
    if reward.tier.secret:
        return gettext("Secret: offered by link only")
    if reward.offered_for is None:
        return gettext("Open to all, as long as the campaign runs")
    return gettext("Early bird: the first {span} from the launch").format(
        span=_span(reward.offered_for)
    )


def skip_label() -> str:
    """The button that leaves an optional answer empty."""
    return gettext("Skip")


def digital_label() -> str:
    """The button for a reward with nothing to ship."""
    return gettext("Digital")


def worldwide_label() -> str:
    """The button for a reward shipped anywhere."""
    return gettext("Worldwide")


def category_question() -> str:
    """The question above the category choices."""
    return gettext("Which category is it in?")


def funding_question() -> str:
    """The question above the funding models, each explained."""
    lines = [gettext("How should backers be charged?")]
    lines += [f"• {funding_model(model)}" for model in FUNDING_MODELS]
    return "\n".join(lines)


def funding_labels() -> tuple[tuple[str, FundingModel], ...]:
    """Each funding model's short name, in the order offered."""
    names = (gettext("All or nothing"), gettext("Flexible"))
    return tuple(zip(names, FUNDING_MODELS, strict=True))


def reward_added(title: str, price: Money, *, last: bool = False) -> str:
    """What the creator is told once a reward is complete; `last` when no more may be added."""
    shown = price.format(current_locale.get())
    added = gettext("Added “{title}” at {price}.").format(title=title, price=shown)
    if not last:
        return added
    return " ".join((added, gettext("That is as many as a campaign may have.")))


def category_chosen(name: str) -> str:
    """What the category question becomes once answered."""
    return gettext("Category: {name}").format(name=name)


def create_draft_label() -> str:
    """The button under the preview that stores the draft."""
    return gettext("Create draft")


def draft_discarded() -> str:
    """What a creator is told when they drop their draft."""
    return gettext("Campaign draft discarded.")


def preview_heading() -> str:
    """Above the card the draft will be."""
    return gettext("This is how your campaign will look:")
