"""The hosted checkout page: served as HTML, paid through a real HTTP form post."""

from __future__ import annotations

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import Closed, Paid, Refused, StripeStandin
from tests.adapters.standins.conftest import CANCEL_URL, payment_session, setup_session

CARD_FORM = {
    "email": "ada@example.com",
    "name": "Ada Lovelace",
    "card_number": "4242 4242 4242 4242",
    "expiry": "12 / 34",
    "cvc": "123",
}
ADDRESS = {
    "shipping_name": "Ada Lovelace",
    "line1": "12 rue des Lilas",
    "city": "Lyon",
    "postal_code": "69001",
    "country": "FR",
}


async def submit(
    browser: aiohttp.ClientSession, url: str, **changes: str
) -> tuple[int, str, str | None]:
    """Post the card form as a browser does, without following the redirect."""
    async with browser.post(url, data={**CARD_FORM, **changes}, allow_redirects=False) as page:
        return page.status, await page.text(), page.headers.get("Location")


async def test_the_page_shows_the_merchant_amount_fields_and_test_cards(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None

    async with browser.get(session.url) as page:
        html = await page.text()

    assert page.status == 200
    assert page.content_type == "text/html"
    assert "Backit" in html
    assert "€25.00" in html
    assert "Reading lamp, early bird" in html
    for field in ("email", "card_number", "expiry", "cvc", "name"):
        assert f'name="{field}"' in html
    assert "4242 4242 4242 4242" in html
    assert "4000 0000 0000 0341" in html
    assert f'href="{CANCEL_URL}"' in html
    assert "<script" not in html
    assert "http" not in html.split("<body>")[0]
    assert 'name="line1"' not in html


async def test_the_page_names_each_line_with_its_description_and_amount(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    product = {"name": "Deluxe <edition>", "description": "Lanternfall & friends"}
    price = {"currency": "eur", "unit_amount": 7900, "product_data": product}
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(line_items=[{"price_data": price, "quantity": 1}])
    )
    assert session.url is not None

    async with browser.get(session.url) as page:
        html = await page.text()

    assert '<span class="item-name">Deluxe &lt;edition&gt; × 1</span>' in html
    assert '<span class="item-description">Lanternfall &amp; friends</span>' in html
    assert '<span class="item-amount">€79.00</span>' in html
    assert "custom-text" not in html.split("</style>")[1]


async def test_a_setup_page_shows_its_submit_text_under_the_button(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    message = "Your card will be charged €79.00 for “Deluxe” only if it reaches its goal."
    session = await stripe_client.v1.checkout.sessions.create_async(
        setup_session(custom_text={"submit": {"message": message}})
    )
    assert session.url is not None

    async with browser.get(session.url) as page:
        html = await page.text()

    button = html.index('<button type="submit">Save card</button>')
    shown = html.index(f'<p class="custom-text" data-section="submit">{message}</p>')
    assert "You won&#x27;t be charged now" in html
    assert shown > button


async def test_the_page_asks_for_an_address_in_the_allowed_countries_only(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(shipping_address_collection={"allowed_countries": ["FR", "BE"]})
    )
    assert session.url is not None

    async with browser.get(session.url) as page:
        html = await page.text()

    for field in ("shipping_name", "line1", "line2", "city", "postal_code", "state", "country"):
        assert f'name="{field}"' in html
    assert html.count("<option") == 2
    assert '<option value="BE">Belgium</option>' in html
    assert '<option value="FR">France</option>' in html


async def test_a_good_card_pays_and_redirects_to_the_success_url(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None

    status, _, location = await submit(browser, session.url, card_number="4242424242424242")
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["payment_intent.latest_charge"]}
    )

    assert status == 303
    assert location == f"https://backit.test/paid?session={session.id}"
    assert (paid.status, paid.payment_status, paid.url) == ("complete", "paid", None)
    assert paid.customer is None
    assert paid.customer_details is not None
    assert paid.customer_details.email == "ada@example.com"
    intent = paid.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert (intent.amount, intent.currency, intent.status) == (2500, "eur", "succeeded")
    assert isinstance(intent.latest_charge, stripe.Charge)
    assert intent.latest_charge.paid is True
    assert intent.latest_charge.amount_captured == 2500


@pytest.mark.parametrize(
    ("card_number", "message"),
    [
        ("4000 0000 0000 0002", "Your card was declined."),
        ("4000 0000 0000 9995", "Your card has insufficient funds."),
        ("4000 0000 0000 3220", "3-D Secure authentication, which the Stripe stand-in does not"),
        ("4000 0000 0000 0341", "Your card was declined."),
        ("4242 4242 4242 4241", "Your card number is invalid."),
        ("5555 5555 5555 4444", "only accepts the test cards"),
    ],
)
async def test_a_refused_card_shows_the_form_again_and_the_session_stays_open(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
    card_number: str,
    message: str,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None

    status, html, location = await submit(browser, session.url, card_number=card_number)

    assert (status, location) == (200, None)
    assert message in html
    assert 'value="ada@example.com"' in html
    still = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)
    assert still.status == "open"
    assert stripe_standin.events() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "not-an-email"}, "Your email address is invalid."),
        ({"name": " "}, "Enter the name on your card"),
        ({"expiry": "01 / 20"}, "expiration date is in the past"),
        ({"expiry": "13 / 34"}, "expiration month is invalid"),
        ({"expiry": "soon"}, "expiration date is incomplete"),
        ({"cvc": "12"}, "security code is incomplete"),
    ],
)
async def test_incomplete_details_are_pointed_out(
    stripe_client: stripe.StripeClient,
    browser: aiohttp.ClientSession,
    changes: dict[str, str],
    message: str,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None

    status, html, _ = await submit(browser, session.url, **changes)

    assert status == 200
    assert message in html


async def test_the_shipping_address_is_collected_and_recorded(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(shipping_address_collection={"allowed_countries": ["FR"]})
    )
    assert session.url is not None

    missing = await submit(browser, session.url)
    elsewhere = await submit(browser, session.url, **{**ADDRESS, "country": "DE"})
    status, _, _ = await submit(browser, session.url, **ADDRESS)
    paid = await stripe_client.v1.checkout.sessions.retrieve_async(
        session.id, {"expand": ["payment_intent"]}
    )

    assert "Enter your shipping full name." in missing[1]
    assert "This merchant does not ship to Germany." in elsewhere[1]
    assert status == 303
    assert paid.collected_information is not None
    details = paid.collected_information.shipping_details
    assert details is not None
    assert details.name == "Ada Lovelace"
    assert (details.address.line1, details.address.country) == ("12 rue des Lilas", "FR")
    assert isinstance(paid.payment_intent, stripe.PaymentIntent)
    assert paid.payment_intent.shipping is not None
    assert paid.payment_intent.shipping.address is not None
    assert paid.payment_intent.shipping.address.city == "Lyon"


async def test_setup_mode_saves_the_card_for_a_customer(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(setup_session())
    assert session.url is not None

    status, _, location = await submit(browser, session.url, card_number="4000000000000341")
    saved = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)

    assert (status, location) == (303, f"https://backit.test/paid?session={session.id}")
    assert (saved.status, saved.payment_status) == ("complete", "no_payment_required")
    assert isinstance(saved.setup_intent, str)
    assert isinstance(saved.customer, str)
    assert [e["type"] for e in stripe_standin.events()] == [
        "customer.created",
        "payment_method.attached",
        "setup_intent.created",
        "setup_intent.succeeded",
        "checkout.session.completed",
    ]


async def test_a_paid_session_shows_that_it_is_complete(
    stripe_client: stripe.StripeClient,
    stripe_standin: StripeStandin,
    browser: aiohttp.ClientSession,
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None
    await stripe_standin.pay(session.id)

    async with browser.get(session.url) as page:
        shown = await page.text()
    again = await submit(browser, session.url)

    assert page.status == 200
    assert "already complete" in shown
    assert "card_number" not in shown
    assert "already complete" in again[1]
    assert len(stripe_standin.events("checkout.session.completed")) == 1


async def test_an_expired_session_shows_that_it_has_expired(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None
    await stripe_client.v1.checkout.sessions.expire_async(session.id)

    async with browser.get(session.url) as page:
        shown = await page.text()

    assert "has expired" in shown


async def test_an_unknown_session_is_not_found(
    stripe_standin: StripeStandin, browser: aiohttp.ClientSession
) -> None:
    async with browser.get(f"{stripe_standin.base_url}/checkout/cs_test_nope") as page:
        assert page.status == 404


async def test_what_the_payer_typed_is_escaped(
    stripe_client: stripe.StripeClient, browser: aiohttp.ClientSession
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(payment_session())
    assert session.url is not None

    _, html, _ = await submit(browser, session.url, name='<script>"x"</script>', cvc="1")

    assert "<script>" not in html
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html


async def test_pay_takes_the_same_path_as_the_form(
    stripe_client: stripe.StripeClient, stripe_standin: StripeStandin
) -> None:
    session = await stripe_client.v1.checkout.sessions.create_async(
        payment_session(customer_email="grace@example.com")
    )

    declined = await stripe_standin.pay(session.id, "4000 0000 0000 0002")
    paid = await stripe_standin.pay(session.id, email="ignored@example.com")
    again = await stripe_standin.pay(session.id)
    read = await stripe_client.v1.checkout.sessions.retrieve_async(session.id)

    assert declined == Refused("Your card was declined. Try another card.")
    assert paid == Paid(f"https://backit.test/paid?session={session.id}")
    assert isinstance(again, Closed)
    assert read.customer_details is not None
    assert read.customer_details.email == "grace@example.com"
