"""What a creator reads about being paid: their account, Backit's fee, their campaigns' money."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.campaigns import Campaign
from core.i18n import use_locale
from core.money import Money
from core.payouts import AccountState, FeePolicy, PayoutAccount, PayoutTerms
from core.pledges import PledgeStatus
from core.statements import Statement, StatementLine
from core.usecases.payouts import PayoutsStatus
from core.views.model import Button
from core.views.payouts import draft_fee, fee_terms, payouts_off, payouts_reply, statement_figures
from tests.fakes import FixedClock

FIFTY = Money(5_000, "EUR")
TERMS = PayoutTerms(connect=True, fees=FeePolicy(500, {"EUR": 30}))


def account(*, onboarded: bool) -> PayoutAccount:
    """An account just opened (two details due), or onboarded and taking payments."""
    now = FixedClock().now()
    due = () if onboarded else ("external_account", "individual.dob.day")
    state = AccountState("acct_1", "FR", onboarded, onboarded, onboarded, due, now)
    return PayoutAccount(1, state, (), now)


def test_a_new_account_leads_to_onboarding() -> None:
    status = PayoutsStatus(account(onboarded=False), "https://connect.test/setup")
    with use_locale("en"):
        reply = payouts_reply(status)
    assert reply.text == (
        "Backit pays what your campaigns raise, less its fee, into your own Stripe account. "
        "Stripe asks who you are and where to send the money: it takes a few minutes.\n\n"
        "Payments: not yet, your campaigns can't be published or backed.\n"
        "Payouts to your bank: not yet.\n"
        "Stripe still needs 2 details from you."
    )
    assert reply.buttons == ((Button("Set up payouts", url="https://connect.test/setup"),),)


def test_an_onboarded_account_leads_to_its_dashboard_in_french() -> None:
    status = PayoutsStatus(account(onboarded=True), "https://connect.test/express")
    with use_locale("fr"):
        reply = payouts_reply(status)
    assert reply.text == (
        "Votre compte de versement\n\n"
        "Paiements\u00a0: activés, vos campagnes peuvent être soutenues.\n"
        "Virements vers votre banque\u00a0: activés.\n"
        "Stripe n’a plus besoin de rien.\n\n"
        "Votre tableau de bord Stripe montre vos virements, vos coordonnées bancaires et leur "
        "calendrier."
    )
    assert reply.buttons == (
        (Button("Ouvrir votre tableau de bord Stripe", url="https://connect.test/express"),),
    )


@pytest.mark.parametrize(
    ("fees", "english", "french"),
    [
        (
            FeePolicy(),
            "Backit takes no fee: you receive every pledge in full, less refunds.",
            "Backit ne prend aucune commission\u00a0: vous recevez chaque contribution en entier, "
            "moins les remboursements.",
        ),
        (
            FeePolicy(250),
            "Backit keeps 2.5% of each pledge: of a €50.00 pledge, you receive €48.75.",
            "Backit garde 2,5\u00a0% de chaque contribution\u00a0: sur une contribution de "
            "50,00\u00a0€, vous recevez 48,75\u00a0€.",
        ),
        (
            FeePolicy(0, {"EUR": 30}),
            "Backit keeps €0.30 of each pledge: of a €50.00 pledge, you receive €49.70.",
            "Backit garde 0,30\u00a0€ par contribution\u00a0: sur une contribution de "
            "50,00\u00a0€, vous recevez 49,70\u00a0€.",
        ),
        (
            TERMS.fees,
            "Backit keeps 5% + €0.30 of each pledge: of a €50.00 pledge, you receive €47.20.",
            "Backit garde 5\u00a0% + 0,30\u00a0€ par contribution\u00a0: sur une contribution de "
            "50,00\u00a0€, vous recevez 47,20\u00a0€.",
        ),
    ],
)
def test_the_fee_reads_as_its_parts_and_what_a_pledge_leaves(
    fees: FeePolicy, english: str, french: str
) -> None:
    with use_locale("en"):
        assert fee_terms(fees, FIFTY) == english
    with use_locale("fr"):
        assert fee_terms(fees, FIFTY) == french


def test_a_draft_shows_the_fee_on_its_first_reward(campaign: Campaign) -> None:
    with use_locale("en"):
        shown = draft_fee(TERMS, campaign)
    assert campaign.tiers[0].amount == FIFTY
    assert shown == fee_terms(TERMS.fees, FIFTY)
    assert shown.endswith("of a €50.00 pledge, you receive €47.20.")


def test_a_draft_without_rewards_shows_the_fee_on_a_round_pledge_in_its_currency(
    campaign: Campaign,
) -> None:
    in_yen = replace(campaign, tiers=[], goal=Money(500_000, "JPY"))
    with use_locale("en"):
        assert draft_fee(TERMS, replace(campaign, tiers=[])).endswith(
            "of a €25.00 pledge, you receive €23.45."
        )
        # No fixed part in yen, and no minor unit: 5 % of ¥25 rounds down to ¥1.
        assert draft_fee(TERMS, in_yen) == (
            "Backit keeps 5% of each pledge: of a ¥25 pledge, you receive ¥24."
        )


def test_without_payout_accounts_creators_hear_the_team_pays_them() -> None:
    with use_locale("en"):
        english = payouts_off()
    with use_locale("fr"):
        french = payouts_off()
    assert english.text == (
        "Here, creators are paid by the team running Backit, not into a payout account of their "
        "own: ask that team how and when you are paid."
    )
    assert french.text == (
        "Ici, les créateurs sont payés par l’équipe qui gère Backit, pas sur un compte de "
        "versement à leur nom\u00a0: demandez à cette équipe comment et quand vous êtes payé."
    )
    assert english.buttons == french.buttons == ()


def _line(number: int, **figures: int) -> StatementLine:
    """A paid pledge's line with the figures given, in euro cents; the others nothing."""

    def euros(name: str) -> Money:
        return Money(figures.get(name, 0), "EUR")

    now = FixedClock().now()
    return StatementLine(
        number,
        now,
        number,
        euros("amount"),
        euros("fee"),
        euros("refunded"),
        euros("disputed"),
        euros("net"),
        PledgeStatus.PAID,
        None,
        None,
    )


def test_a_campaigns_money_sums_its_payments_in_one_line(campaign: Campaign) -> None:
    money = Statement(
        campaign,
        (
            _line(1, amount=5_000, fee=280, net=4_720),
            _line(2, amount=2_000, fee=0, refunded=2_000),
            _line(3, amount=10_000, fee=530, disputed=10_000, net=9_470),
        ),
    )
    with use_locale("en"):
        english = statement_figures(money)
    with use_locale("fr"):
        french = statement_figures(money)
    assert english == (
        "Raised: €170.00 · Backit's fee: €8.10 · Refunds: €20.00 · Disputed: €100.00 · "
        "You receive: €141.90"
    )
    assert french == (
        "Collecté\u00a0: 170,00\u00a0€ · Commission Backit\u00a0: 8,10\u00a0€ · "
        "Remboursements\u00a0: 20,00\u00a0€ · Contesté\u00a0: 100,00\u00a0€ · "
        "Vous recevez\u00a0: 141,90\u00a0€"
    )
