"""What a creator reads about being paid: their payout account, Backit's fee, their money."""

from __future__ import annotations

from core.campaigns import Campaign
from core.i18n import current_locale, gettext, ngettext
from core.money import Money
from core.payouts import FeePolicy, PayoutAccount, PayoutTerms
from core.statements import Statement
from core.usecases.payouts import PayoutsStatus
from core.views.formatting import labelled, number, rate
from core.views.model import Button, Reply

# The pledge, in major units of a campaign's currency, its fee is shown on when it has no reward.
EXAMPLE_PLEDGE = 25


def _money(amount: Money) -> str:
    return amount.format(current_locale.get())


def statement_figures(statement: Statement) -> str:
    """A campaign's money in one line: raised, Backit's fee, refunded, disputed, received."""
    parts = [
        (gettext("Raised"), statement.raised),
        (gettext("Backit's fee"), statement.fee),
        (gettext("Refunds"), statement.refunded),
        (gettext("Disputed"), statement.disputed),
        (gettext("You receive"), statement.receives),
    ]
    return " · ".join(f"{labelled(name)} {_money(amount)}" for name, amount in parts)


def fee_terms(fees: FeePolicy, example: Money) -> str:
    """Backit's fee as a creator reads it before publishing, with what a pledge leaves them."""
    fixed = fees.fixed_part(example.currency)
    if fees.basis_points == 0 and fixed.amount == 0:
        return gettext("Backit takes no fee: you receive every pledge in full, less refunds.")
    if fixed.amount == 0:
        kept = gettext("{rate} of each pledge").format(rate=rate(fees.basis_points))
    elif fees.basis_points == 0:
        kept = gettext("{fixed} of each pledge").format(fixed=_money(fixed))
    else:
        kept = gettext("{rate} + {fixed} of each pledge").format(
            rate=rate(fees.basis_points), fixed=_money(fixed)
        )
    fee = fees.fee(example)
    return gettext("Backit keeps {rate}: of a {amount} pledge, you receive {net}.").format(
        rate=kept, amount=_money(example), net=_money(example - fee)
    )


def draft_fee(terms: PayoutTerms, campaign: Campaign) -> str:
    """Backit's fee under a creator's draft: on its first reward's amount, or on a round
    pledge in its currency when it has no reward."""
    if campaign.tiers:
        example = campaign.tiers[0].amount
    else:
        example = Money.from_major(str(EXAMPLE_PLEDGE), campaign.goal.currency)
    return fee_terms(terms.fees, example)


def _due(account: PayoutAccount) -> str:
    count = len(account.state.currently_due)
    if count == 0:
        return gettext("Stripe needs nothing more from you.")
    return ngettext(
        "Stripe still needs {count} detail from you.",
        "Stripe still needs {count} details from you.",
        count,
    ).format(count=number(count))


def account_standing(account: PayoutAccount) -> str:
    """Where a creator's account stands, in a few lines."""
    state = account.state
    payments = (
        gettext("Payments: on, your campaigns can be backed.")
        if state.charges_enabled
        else gettext("Payments: not yet, your campaigns can't be published or backed.")
    )
    payouts = (
        gettext("Payouts to your bank: on.")
        if state.payouts_enabled
        else gettext("Payouts to your bank: not yet.")
    )
    return "\n".join((payments, payouts, _due(account)))


def payouts_reply(status: PayoutsStatus) -> Reply:
    """The answer to /payouts: onboarding while details are missing, the dashboard after."""
    standing = account_standing(status.account)
    if not status.onboarded:
        text = "\n\n".join(
            (
                gettext(
                    "Backit pays what your campaigns raise, less its fee, into your own Stripe "
                    "account. Stripe asks who you are and where to send the money: it takes a "
                    "few minutes."
                ),
                standing,
            )
        )
        return Reply(text, ((Button(gettext("Set up payouts"), url=status.url),),))
    text = "\n\n".join(
        (
            gettext("Your payout account"),
            standing,
            gettext("Your Stripe dashboard shows your payouts, bank details and payout schedule."),
        )
    )
    return Reply(text, ((Button(gettext("Open your Stripe dashboard"), url=status.url),),))


def payouts_off() -> Reply:
    """The answer to /payouts where creators have no payout account of their own."""
    return Reply(
        gettext(
            "Here, creators are paid by the team running Backit, not into a payout account of "
            "their own: ask that team how and when you are paid."
        )
    )


def onboarding_result(account: PayoutAccount | None) -> tuple[str, str]:
    """The title and text of the page onboarding returns a creator to."""
    if account is None:
        return (
            gettext("Unknown payout account"),
            gettext("This link names no payout account. Ask for a new one with /payouts."),
        )
    if account.state.charges_enabled:
        title = gettext("Your payout account is ready")
    elif account.state.details_submitted:
        title = gettext("Stripe is checking your details")
    else:
        title = gettext("Your payout account is not finished")
    return title, account_standing(account)
