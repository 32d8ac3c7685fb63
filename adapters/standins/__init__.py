"""Local stand-ins of the outside services, spoken to by their real client libraries over HTTP."""
