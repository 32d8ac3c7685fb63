"""Where a reward can ship: the countries the payment page collects addresses in."""

from __future__ import annotations

# Stripe Checkout's list for `shipping_address_collection[allowed_countries]`: a reward
# shipped anywhere asks for an address in any of them, and a creator may name only these.
SHIPPING_COUNTRIES = frozenset(
    """
    AC AD AE AF AG AI AL AM AO AQ AR AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CD CF CG CH CI CK CL CM CN CO CR CV CW CY CZ DE DJ DK DM DO DZ EC EE EG
    EH ER ES ET FI FJ FK FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HN HR
    HT HU ID IE IL IM IN IO IQ IS IT JE JM JO JP KE KG KH KI KM KN KR KW KY KZ LA LB LC LI LK LR
    LS LT LU LV LY MA MC MD ME MF MG MK ML MM MN MO MQ MR MS MT MU MV MW MX MY MZ NA NC NE NG NI
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PY QA RE RO RS RU RW SA SB SC SD SE
    SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW
    TZ UA UG US UY UZ VA VC VE VG VN VU WF WS XK YE YT ZA ZM ZW ZZ
    """.split()  # noqa: SIM905 - 238 codes read better as a block than one per line
)
# "Unknown region": in Checkout's list, but no country a creator names.
NAMED_COUNTRIES = SHIPPING_COUNTRIES - {"ZZ"}


def ship_to(ships: bool, countries: tuple[str, ...]) -> tuple[str, ...] | None:
    """The countries to collect an address in: None when nothing ships, all of them for a
    reward shipped worldwide (it names none)."""
    if not ships:
        return None
    return countries or tuple(sorted(SHIPPING_COUNTRIES))
