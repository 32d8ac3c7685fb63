"""The web server: pledge links, checkout returns, Stripe webhooks and health, on aiohttp."""
