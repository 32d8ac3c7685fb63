"""Tests of the local stand-ins, driven by the real client libraries over HTTP."""
