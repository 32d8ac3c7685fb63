"""Stripe: hosted checkout, saved cards, refunds and webhooks, behind core's payment gateway."""
