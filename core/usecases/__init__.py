"""Use cases: each a small async function over a unit of work."""
