"""Errors in Stripe's shape: authentication, unknown URLs and parameters, missing objects."""

from __future__ import annotations

import aiohttp
import pytest
import stripe

from adapters.standins.stripe import StripeStandin
from tests.adapters.standins.conftest import auth_headers, payment_session
from tests.stripe_standin_fixtures import client_of


async def test_a_wrong_api_key_is_refused(stripe_standin: StripeStandin) -> None:
    async with client_of(stripe_standin, "sk_test_wrong_key_1234") as client:
        with pytest.raises(stripe.AuthenticationError) as refused:
            await client.v1.checkout.sessions.create_async(payment_session())

    assert refused.value.http_status == 401
    assert "Invalid API Key provided: sk_test_**********1234" in str(refused.value)
    assert refused.value.error is not None
    assert refused.value.error.type == "invalid_request_error"


async def test_a_request_without_a_key_is_refused(
    stripe_standin: StripeStandin, browser: aiohttp.ClientSession
) -> None:
    async with browser.get(f"{stripe_standin.base_url}/v1/events") as answer:
        body = await answer.json()

    assert answer.status == 401
    assert "You did not provide an API key" in body["error"]["message"]


async def test_errors_carry_stripe_fields_and_a_request_id(
    stripe_standin: StripeStandin, browser: aiohttp.ClientSession
) -> None:
    async with browser.post(
        f"{stripe_standin.base_url}/v1/checkout/sessions",
        data={"mode": "payment", "success_url": "https://backit.test/ok"},
        headers=auth_headers(),
    ) as answer:
        body = await answer.json()

    assert answer.status == 400
    assert answer.content_type == "application/json"
    assert answer.headers["Request-Id"].startswith("req_")
    assert body == {
        "error": {
            "type": "invalid_request_error",
            "code": "parameter_missing",
            "doc_url": "https://stripe.com/docs/error-codes/parameter-missing",
            "message": "You must specify `line_items` in `payment` mode.",
            "param": "line_items",
        }
    }


async def test_an_unknown_url_is_not_found(
    stripe_standin: StripeStandin, browser: aiohttp.ClientSession
) -> None:
    async with browser.delete(
        f"{stripe_standin.base_url}/v1/customers/cus_1", headers=auth_headers()
    ) as answer:
        body = await answer.json()

    assert answer.status == 404
    assert body["error"]["message"].startswith("Unrecognized request URL (DELETE: /v1/customers")


@pytest.mark.parametrize(
    "retrieve",
    [
        lambda client: client.v1.customers.retrieve_async("cus_nope"),
        lambda client: client.v1.setup_intents.retrieve_async("seti_nope"),
        lambda client: client.v1.payment_methods.retrieve_async("pm_nope"),
        lambda client: client.v1.payment_intents.retrieve_async("pi_nope"),
        lambda client: client.v1.charges.retrieve_async("ch_nope"),
        lambda client: client.v1.refunds.retrieve_async("re_nope"),
    ],
)
async def test_a_missing_object_is_a_404_resource_missing(
    stripe_client: stripe.StripeClient, retrieve: object
) -> None:
    assert callable(retrieve)
    with pytest.raises(stripe.InvalidRequestError) as missing:
        await retrieve(stripe_client)

    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    assert "nope" in str(missing.value)


async def test_an_object_of_another_type_is_not_found_by_its_id(
    stripe_client: stripe.StripeClient,
) -> None:
    customer = await stripe_client.v1.customers.create_async({})

    with pytest.raises(stripe.InvalidRequestError) as missing:
        await stripe_client.v1.payment_intents.retrieve_async(customer.id)

    assert missing.value.http_status == 404
