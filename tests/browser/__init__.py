"""The sandbox's chat page in a real browser, against `backit run --sandbox`."""
