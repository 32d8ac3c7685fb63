"""Tests of the Stripe gateway and its outcome mapping, on the stand-in over HTTP."""
