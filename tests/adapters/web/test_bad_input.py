"""Whatever a request carries, every route answers with a page and a 4xx, writes nothing and
asks Stripe nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from core.campaigns import Campaign
from core.pledge_links import RetryLink
from core.pledges import Pledge
from core.usecases.managing import TierDraft
from tests.payment_fixtures import RunningBackit, backit_on_silent_stripe, fetch

HUGE = str(2**64)
MANY_DIGITS = "9" * 5_000


@dataclass(frozen=True, slots=True)
class Started:
    """A campaign with one pledge waiting on its checkout page, and authentic tokens about it."""

    campaign: Campaign
    pledge: Pledge
    pledge_token: str
    retry_token: str
    cancel_token: str
    session_id: str


@pytest.fixture
async def started(backit: RunningBackit, browser: aiohttp.ClientSession) -> Started:
    """One pledge started through its link, its checkout page open."""
    campaign = await backit.campaign(tiers=(TierDraft("Early bird", "", 5_000, quantity_limit=2),))
    backer = await backit.backer(1)
    assert (await fetch(browser, backit.pledge_url(backer, campaign, campaign.tiers[0].id))).status
    (pledge,) = await backit.pledges(campaign.id)
    assert pledge.checkout_session_id is not None
    unused = backit.pledge_url(await backit.backer(2), campaign, campaign.tiers[0].id)
    retry = RetryLink(pledge.id, backit.clock.now() + timedelta(days=1))
    return Started(
        campaign,
        pledge,
        unused.rsplit("/", 1)[-1],
        backit.signer.sign_retry(retry),
        backit.signer.sign_cancel(pledge.id),
        pledge.checkout_session_id,
    )


@pytest.fixture
async def backit_url(backit: RunningBackit, started: Started) -> AsyncIterator[str]:
    """Backit on the same database, with a Stripe that never answers: no request may reach it
    (one would end in a 503). After the test, the pledge is as it was, its unit still held."""
    async with backit_on_silent_stripe(backit) as (url, taken):
        yield url
    assert taken == []
    assert await backit.pledges(started.campaign.id) == [started.pledge]
    assert (await backit.reload(started.campaign.id)).tiers[0].claimed == 1
    assert await backit.payment_events() == 0


def signed(backit: RunningBackit, tag: str, *fields: str) -> str:
    """A token our own key signed, whatever its fields say."""
    return backit.signer._seal(tag, *fields)


async def answer(browser: aiohttp.ClientSession, path_and_query: str) -> tuple[int, str]:
    """The status and content type of a GET whose path and query are sent exactly as written."""
    async with browser.get(URL(path_and_query, encoded=True), allow_redirects=False) as page:
        await page.read()
        return page.status, page.content_type


GARBAGE = ["", "%00", "%FF%FE", "%C3%A9t%C3%A9", "%F0%9F%92%A5", "a.b.c", "..%2F..", MANY_DIGITS]


@pytest.mark.parametrize(
    "template",
    [
        "/pledge/{}",
        "/pledge/retry/{}",
        "/pledge/success?session_id={}",
        "/pledge/cancel?pledge={}",
        "/pledge/cancel?session_id={}",
        "/c/{}",
    ],
)
async def test_garbage_anywhere_gets_a_4xx_page(
    backit_url: str, browser: aiohttp.ClientSession, template: str
) -> None:
    for garbage in GARBAGE:
        status, content_type = await answer(browser, backit_url + template.format(garbage))

        assert 400 <= status < 500, garbage
        assert content_type == "text/html", garbage


def signed_tokens(backit: RunningBackit, pledge_id: int) -> list[str]:
    """Tokens with our signature whose fields no database or calendar can hold."""
    expires = str(int((backit.clock.now() + timedelta(days=1)).timestamp()))
    pledge = ["1", "1", "1", "", "", expires, "nonce"]
    tokens = []
    for position in (0, 1, 2, 3, 5):
        for bad in ("x7", "²", "-1", HUGE, MANY_DIGITS):
            fields = list(pledge)
            fields[position] = bad
            tokens.append(f"/pledge/{signed(backit, '1', *fields)}")
    for bad in ("x7", "²", "-1", HUGE, MANY_DIGITS):
        tokens.append(f"/pledge/retry/{signed(backit, 'r1', bad, expires)}")
        tokens.append(f"/pledge/retry/{signed(backit, 'r1', str(pledge_id), bad)}")
        tokens.append(f"/pledge/cancel?pledge={signed(backit, 'c1', bad)}")
    return tokens


async def test_tokens_we_signed_carrying_impossible_ids_get_a_4xx_page(
    backit: RunningBackit, backit_url: str, browser: aiohttp.ClientSession, started: Started
) -> None:
    for path in signed_tokens(backit, started.pledge.id):
        status, content_type = await answer(browser, backit_url + path)

        assert (status, content_type) == (400, "text/html"), path


ROUTES = [
    ("/pledge/{}", "pledge_token"),
    ("/pledge/retry/{}", "retry_token"),
    ("/pledge/cancel?pledge={}", "cancel_token"),
    ("/pledge/success?session_id={}", "session_id"),
]


@st.composite
def mutated(draw: st.DrawFn, valid: str) -> str:
    """A valid token with a stretch replaced by arbitrary text (which may be empty)."""
    start = draw(st.integers(0, len(valid)))
    end = draw(st.integers(start, min(len(valid), start + 4)))
    return valid[:start] + draw(st.text(max_size=4)) + valid[end:]


@settings(
    max_examples=200,
    deadline=None,
    # The server, the database and the pledge are set up once and shared by every example,
    # which is the point: no example may change them.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
async def test_fuzzed_tokens_never_get_a_5xx_nor_write_anything(
    backit: RunningBackit,
    backit_url: str,
    browser: aiohttp.ClientSession,
    started: Started,
    data: st.DataObject,
) -> None:
    template, field = data.draw(st.sampled_from(ROUTES))
    valid: str = getattr(started, field)
    text = data.draw(
        st.one_of(st.text(max_size=200), mutated(valid)).filter(lambda text: text != valid)
    )

    status, content_type = await answer(browser, backit_url + template.format(quote(text, "")))

    assert 400 <= status < 500, (template, text)
    assert content_type == "text/html"
    assert await backit.pledges(started.campaign.id) == [started.pledge]
