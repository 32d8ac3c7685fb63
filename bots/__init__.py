"""Backit's composition root: configuration, the operator CLI and the long-running process."""
