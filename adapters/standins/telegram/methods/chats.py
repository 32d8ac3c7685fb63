"""Looking at chats and their members."""

from __future__ import annotations

from typing import Any

from adapters.standins.telegram.errors import bad_request
from adapters.standins.telegram.members import chat_member
from adapters.standins.telegram.methods.call import Handler, MethodCall


async def get_chat(call: MethodCall) -> dict[str, Any]:
    """The ChatFullInfo of a chat the bot is in."""
    return call.state.find_chat(call.bot, call.args.chat_id()).full_info()


async def get_chat_member(call: MethodCall) -> dict[str, Any]:
    """A user's membership of a chat, in the ChatMember shape of its status."""
    state = call.state
    chat = state.find_chat(call.bot, call.args.chat_id())
    user = state.users.get(call.args.integer("user_id"))
    if user is None:
        raise bad_request("user not found")
    return chat_member(user, chat.status(user.id))


HANDLERS: dict[str, Handler] = {"getChat": get_chat, "getChatMember": get_chat_member}
