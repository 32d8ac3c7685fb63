"""Answering button presses and inline queries."""

from __future__ import annotations

from adapters.standins.telegram.errors import bad_request, query_too_old
from adapters.standins.telegram.events import CallbackAnswer
from adapters.standins.telegram.inline_results import checked_results
from adapters.standins.telegram.methods.call import Handler, MethodCall
from adapters.standins.telegram.queries import CALLBACK_ANSWER_WINDOW, InlineAnswer

CALLBACK_TEXT_LIMIT = 200


async def answer_callback_query(call: MethodCall) -> bool:
    """Answer a button press once, within 15 minutes, with at most 200 characters."""
    args, state = call.args, call.state
    record = state.callback_queries.get(args.string("callback_query_id"))
    if (
        record is None
        or record.bot_id != call.bot.id
        or record.answer is not None
        or state.clock() - record.created_at > CALLBACK_ANSWER_WINDOW
    ):
        raise query_too_old()
    text = args.optional_string("text")
    if text is not None and len(text) > CALLBACK_TEXT_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = CallbackAnswer(
        text,
        args.flag("show_alert"),
        args.optional_string("url"),
        args.optional_integer("cache_time") or 0,
    )
    record.answer = answer
    record.answered.notify()
    state.publish(
        state.chat(record.chat), "callback_answered", record.message_id, by_bot=True, answer=answer
    )
    return True


async def answer_inline_query(call: MethodCall) -> bool:
    """Answer an inline query once, with at most 50 results the stand-in keeps for choosing."""
    args, state = call.args, call.state
    record = state.inline_queries.get(args.string("inline_query_id"))
    if record is None or record.bot_id != call.bot.id or record.answer is not None:
        raise query_too_old()
    results = args.json("results")
    record.contents = checked_results(results, state.files)
    record.answer = InlineAnswer(
        record.id,
        call.bot.id,
        record.query,
        results,
        args.optional_string("next_offset") or "",
        args.optional_integer("cache_time") or 300,
        args.flag("is_personal"),
        args.json("button"),
    )
    record.answered.notify()
    return True


HANDLERS: dict[str, Handler] = {
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
}
