"""Tests of the web server: pledge links, checkout returns and the Stripe webhook, end to end."""
