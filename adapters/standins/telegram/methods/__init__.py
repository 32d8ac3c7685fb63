"""The Bot API methods the stand-in implements, by name."""

from adapters.standins.telegram.methods import chats, delivery, messages, queries, settings
from adapters.standins.telegram.methods.call import Handler, MethodCall

METHODS: dict[str, Handler] = {
    **delivery.HANDLERS,
    **messages.HANDLERS,
    **queries.HANDLERS,
    **chats.HANDLERS,
    **settings.HANDLERS,
}

__all__ = ["METHODS", "Handler", "MethodCall"]
