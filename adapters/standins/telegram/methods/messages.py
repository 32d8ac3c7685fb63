"""Sending, editing and deleting messages, with Telegram's checks and refusals."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.standins.telegram.chats import ChatRecord, Content, StoredMessage
from adapters.standins.telegram.errors import bad_request
from adapters.standins.telegram.files import Upload
from adapters.standins.telegram.formatting import caption_text, message_text
from adapters.standins.telegram.keyboards import inline_keyboard, reply_markup
from adapters.standins.telegram.methods.call import Handler, MethodCall

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_ADMINS = frozenset({"creator", "administrator"})


async def send_message(call: MethodCall) -> dict[str, Any]:
    """Send a text message: 1–4096 characters after entity parsing."""
    args = call.args
    chat = call.state.chat_to_send(call.bot, args.chat_id())
    text = message_text(
        args.string("text"), args.optional_string("parse_mode"), args.json("entities")
    )
    content = Content(
        text=text,
        markup=reply_markup(args.json("reply_markup")),
        link_preview=_link_preview(args.json("link_preview_options")),
    )
    return _send(call, chat, content, "sendMessage")


async def send_photo(call: MethodCall) -> dict[str, Any]:
    """Send a photo, uploaded or by URL or file id, with a caption of at most 1024 characters."""
    args = call.args
    chat = call.state.chat_to_send(call.bot, args.chat_id())
    caption = caption_text(
        args.optional_string("caption"),
        args.optional_string("parse_mode"),
        args.json("caption_entities"),
    )
    markup = reply_markup(args.json("reply_markup"))
    photo = call.state.files.photo(args.file("photo"))
    return _send(call, chat, Content(photo=photo, caption=caption, markup=markup), "sendPhoto")


async def send_document(call: MethodCall) -> dict[str, Any]:
    """Send a general file, uploaded (at most 50 MB) or by file id, with a caption of at most
    1024 characters."""
    args = call.args
    chat = call.state.chat_to_send(call.bot, args.chat_id())
    caption = caption_text(
        args.optional_string("caption"),
        args.optional_string("parse_mode"),
        args.json("caption_entities"),
    )
    markup = reply_markup(args.json("reply_markup"))
    document = call.state.files.document(args.file("document"))
    content = Content(document=document, caption=caption, markup=markup)
    return _send(call, chat, content, "sendDocument")


async def edit_message_text(call: MethodCall) -> dict[str, Any] | bool:
    """Change a text message's text and keyboard; leaving the keyboard out removes it."""
    args = call.args
    chat, stored, inline = _edited(call)
    if stored.content.text is None:
        raise bad_request("there is no text in the message to edit")
    text = message_text(
        args.optional_string("text") or "",
        args.optional_string("parse_mode"),
        args.json("entities"),
    )
    content = replace(
        stored.content,
        text=text,
        markup=_inline_markup(args.json("reply_markup")),
        link_preview=_link_preview(args.json("link_preview_options")),
    )
    return _edit(call, chat, stored, content, inline=inline)


async def edit_message_caption(call: MethodCall) -> dict[str, Any] | bool:
    """Change a photo's or document's caption and keyboard; leaving the caption out removes it."""
    args = call.args
    chat, stored, inline = _edited(call)
    if stored.content.photo is None and stored.content.document is None:
        raise bad_request("there is no caption in the message to edit")
    caption = caption_text(
        args.optional_string("caption"),
        args.optional_string("parse_mode"),
        args.json("caption_entities"),
    )
    content = replace(
        stored.content, caption=caption, markup=_inline_markup(args.json("reply_markup"))
    )
    return _edit(call, chat, stored, content, inline=inline)


async def edit_message_media(call: MethodCall) -> dict[str, Any] | bool:
    """Replace a message's photo or document (or its text) with a new one, captioned as the
    InputMedia says (no caption: none); leaving the keyboard out removes it."""
    args = call.args
    chat, stored, inline = _edited(call)
    media = args.json("media")
    if not isinstance(media, dict) or not isinstance(media.get("type"), str):
        raise bad_request("can't parse InputMedia JSON object")
    value = args.attached(media.get("media"))
    if inline and isinstance(value, Upload):
        # An inline message's media must already be on Telegram's servers.
        raise bad_request("can't use uploaded files in inline messages")
    caption = caption_text(
        _optional_text(media, "caption"),
        _optional_text(media, "parse_mode"),
        media.get("caption_entities"),
    )
    files = call.state.files
    markup = _inline_markup(args.json("reply_markup"))
    if media["type"] == "photo":
        content = Content(photo=files.photo(value), caption=caption, markup=markup)
    elif media["type"] == "document":
        content = Content(document=files.document(value), caption=caption, markup=markup)
    else:
        # Animations, audio and videos: no Backit bot sends them, so the stand-in keeps none.
        raise bad_request(f"media type {media['type']!r} is not supported by the stand-in")
    return _edit(call, chat, stored, content, inline=inline)


async def edit_message_reply_markup(call: MethodCall) -> dict[str, Any] | bool:
    """Change only a message's inline keyboard; leaving it out removes it."""
    chat, stored, inline = _edited(call)
    content = replace(stored.content, markup=_inline_markup(call.args.json("reply_markup")))
    return _edit(call, chat, stored, content, inline=inline)


async def delete_message(call: MethodCall) -> bool:
    """Delete the bot's own message, any message in a private chat, or any as a group admin."""
    args, bot = call.args, call.bot
    chat = call.state.find_chat(bot, args.chat_id())
    stored = chat.messages.get(args.integer("message_id"))
    if stored is None:
        raise bad_request("message to delete not found")
    if not (_sent_by(stored, bot.id) or chat.private or chat.bots.get(bot.id) in _ADMINS):
        raise bad_request("message can't be deleted")
    del chat.messages[stored.id]
    call.state.publish(chat, "deleted", stored.id, by_bot=True)
    return True


async def send_chat_action(call: MethodCall) -> bool:
    """Show "typing…" and the like; the stand-in only checks the call."""
    call.state.chat_to_send(call.bot, call.args.chat_id())
    if call.args.string("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def _send(call: MethodCall, chat: ChatRecord, content: Content, method: str) -> dict[str, Any]:
    args, state = call.args, call.state
    extra = _reply_to(chat, args.json("reply_parameters"))
    if args.flag("protect_content"):
        extra["has_protected_content"] = True
    if args.flag("has_spoiler"):
        extra["has_media_spoiler"] = True
    if args.flag("show_caption_above_media"):
        extra["show_caption_above_media"] = True
    state.enforcement.admit(call.bot.id, chat.ref.id, private=chat.private, method=method)
    stored = chat.post(
        call.bot.user, content, date=state.now(), owner_bot_id=call.bot.id, extra=extra
    )
    state.publish(chat, "sent", stored.id, by_bot=True)
    state.enforcement.answer_sent(chat.ref.id)
    return dict(stored.message)


def _edit(
    call: MethodCall, chat: ChatRecord, stored: StoredMessage, content: Content, *, inline: bool
) -> dict[str, Any] | bool:
    if content.fields() == stored.content.fields():
        raise bad_request(NOT_MODIFIED)
    chat.edit(stored, content, date=call.state.now())
    call.state.publish(chat, "edited", stored.id, by_bot=True)
    # Telegram answers True for messages sent through inline mode, which the bot cannot see.
    return True if inline else dict(stored.message)


def _edited(call: MethodCall) -> tuple[ChatRecord, StoredMessage, bool]:
    """The message an edit names, by inline_message_id or by chat_id and message_id."""
    args, bot = call.args, call.bot
    inline_id = args.optional_string("inline_message_id")
    if inline_id is not None:
        located = call.state.inline_messages.get(inline_id)
        stored = located[0].messages.get(located[1]) if located else None
        if located is None or stored is None or stored.owner_bot_id != bot.id:
            raise bad_request("MESSAGE_ID_INVALID")
        return located[0], stored, True
    chat_id = args.optional_chat_id()
    if chat_id is None:
        raise bad_request("chat_id is empty")
    message_id = args.optional_integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    chat = call.state.find_chat(bot, chat_id)
    found = chat.messages.get(message_id)
    if found is None:
        raise bad_request("message to edit not found")
    if not _sent_by(found, bot.id):
        raise bad_request("message can't be edited")
    return chat, found, False


def _sent_by(stored: StoredMessage, bot_id: int) -> bool:
    return stored.owner_bot_id == bot_id and "via_bot" not in stored.message


def _reply_to(chat: ChatRecord, parameters: Any) -> dict[str, Any]:
    if parameters is None:
        return {}
    if not isinstance(parameters, dict) or type(parameters.get("message_id")) is not int:
        raise bad_request("can't parse reply parameters JSON object")
    target = chat.messages.get(parameters["message_id"])
    if target is None:
        if parameters.get("allow_sending_without_reply"):
            return {}
        raise bad_request("message to be replied not found")
    # A replied-to message never carries its own reply_to_message.
    replied = {key: value for key, value in target.message.items() if key != "reply_to_message"}
    return {"reply_to_message": replied}


def _optional_text(media: dict[str, Any], name: str) -> str | None:
    value = media.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request("can't parse InputMedia JSON object")
    return value


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    return inline_keyboard(markup) if markup is not None else None


def _link_preview(options: Any) -> dict[str, Any] | None:
    if options is None:
        return None
    if not isinstance(options, dict):
        raise bad_request("can't parse link preview options JSON object")
    return options or None


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageMedia": edit_message_media,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
}
