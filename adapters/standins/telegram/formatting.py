"""Message text as Telegram reads it: its HTML subset, entities, trimming and length limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.standins.telegram.errors import bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

_TAG_ENTITIES = {
    "a": "text_link",
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# tdlib's notion of white space inside tags, narrower than str.isspace().
_SPACE = frozenset(" \t\r\n\v")
_LINK_SCHEMES = ("http://", "https://", "tg://", "ton://")


@dataclass(frozen=True)
class FormattedText:
    """A text as a message shows it: plain text and entities, and the HTML it came from."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()
    html: str | None = None

    def fields(self, text_key: str, entities_key: str) -> dict[str, Any]:
        """The text and its entities under the Message's keys (`text`/`entities` or captions)."""
        fields: dict[str, Any] = {text_key: self.text}
        if self.entities:
            fields[entities_key] = [dict(entity) for entity in self.entities]
        return fields


class EntityParseError(ValueError):
    """Markup Telegram would refuse, with Telegram's own wording."""


def utf16_length(text: str) -> int:
    """The length in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def message_text(text: str, parse_mode: str | None, entities: Any) -> FormattedText:
    """A message's text, parsed and checked: non-empty and at most 4096 characters."""
    formatted = _formatted(text, parse_mode, entities)
    if not formatted.text:
        raise bad_request("message text is empty")
    if len(formatted.text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return formatted


def caption_text(text: str | None, parse_mode: str | None, entities: Any) -> FormattedText | None:
    """A media caption, parsed and checked: at most 1024 characters; None when empty."""
    if not text:
        return None
    formatted = _formatted(text, parse_mode, entities)
    if len(formatted.text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return formatted if formatted.text else None


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and entities of Telegram's HTML; EntityParseError where Telegram refuses."""
    return _HtmlParser(source).parse()


def _formatted(text: str, parse_mode: str | None, entities: Any) -> FormattedText:
    # Telegram uses explicit entities when given, and then ignores parse_mode.
    if entities is not None:
        plain, found = text, _explicit_entities(entities)
    elif parse_mode is None:
        plain, found = text, []
    elif parse_mode.lower() == "html":
        try:
            plain, found = parse_html(text)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif parse_mode.lower() in ("markdown", "markdownv2"):
        raise bad_request(f"the stand-in parses parse_mode HTML only, not {parse_mode}")
    else:
        raise bad_request("unsupported parse_mode")
    trimmed, kept = _trimmed(plain, found)
    html = text if entities is None and parse_mode is not None else None
    return FormattedText(trimmed, tuple(sorted(kept, key=_entity_order)), html)


def _explicit_entities(entities: Any) -> list[dict[str, Any]]:
    if not isinstance(entities, list) or not all(_is_entity(entity) for entity in entities):
        raise bad_request("can't parse entities JSON object")
    return [dict(entity) for entity in entities]


def _is_entity(entity: Any) -> bool:
    return (
        isinstance(entity, dict)
        and isinstance(entity.get("type"), str)
        and type(entity.get("offset")) is int
        and type(entity.get("length")) is int
    )


def _trimmed(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    # Telegram strips leading and trailing white space and shifts or clips entities to match.
    left = text.lstrip()
    lead = utf16_length(text[: len(text) - len(left)])
    trimmed = left.rstrip()
    size = utf16_length(trimmed)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, size)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return trimmed, kept


def _entity_order(entity: dict[str, Any]) -> tuple[int, int]:
    return entity["offset"], -entity["length"]


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int
    text_start: int


class _HtmlParser:
    """tdlib's HTML reader, rule for rule, so errors carry Telegram's words and byte offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.position = 0
        self.text: list[str] = []
        self.utf16_offset = 0
        self.open: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []
        self.code_languages: dict[tuple[int, int], str] = {}

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        """The plain text and the entities, or EntityParseError at the first fault."""
        source = self.source
        while self.position < len(source):
            char = source[self.position]
            if char == "&":
                decoded = _decode_entity(source, self.position)
                if decoded is not None:
                    self._emit(decoded[0])
                    self.position = decoded[1]
                    continue
            if char != "<":
                self._emit(char)
                self.position += 1
            elif source.startswith("</", self.position):
                self._close_tag()
            else:
                self._open_tag()
        if self.open:
            name = self.open[-1].name
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return "".join(self.text), self.entities

    def _emit(self, char: str) -> None:
        self.text.append(char)
        self.utf16_offset += utf16_length(char)

    def _at(self, position: int) -> str:
        return f"at byte offset {len(self.source[:position].encode())}"

    def _skip_space(self, position: int) -> int:
        while position < len(self.source) and self.source[position] in _SPACE:
            position += 1
        return position

    def _open_tag(self) -> None:
        source, begin = self.source, self.position
        position = begin + 1
        while position < len(source) and source[position] not in _SPACE and source[position] != ">":
            position += 1
        if position >= len(source):
            raise EntityParseError(f"Unclosed start tag {self._at(begin)}")
        name = source[begin + 1 : position].lower()
        if name not in _TAG_ENTITIES:
            raise EntityParseError(f'Unsupported start tag "{name}" {self._at(begin)}')
        argument = ""
        while True:
            position = self._skip_space(position)
            if position >= len(source):
                raise EntityParseError(f"Unclosed start tag {self._at(begin)}")
            if source[position] == ">":
                break
            position, argument = self._attribute(position, name, begin, argument)
        self.position = position + 1
        if name == "span" and argument != "spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" {self._at(begin)}')
        self.open.append(_OpenTag(name, argument, self.utf16_offset, len(self.text)))

    def _attribute(self, position: int, tag: str, begin: int, argument: str) -> tuple[int, str]:
        source = self.source
        name_begin = position
        while position < len(source) and source[position] not in _SPACE | {"=", ">"}:
            position += 1
        name = source[name_begin:position]
        if not name:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" {self._at(begin)}')
        position = self._skip_space(position)
        if position >= len(source):
            raise EntityParseError(f"Unclosed start tag {self._at(begin)}")
        if source[position] != "=":
            if tag == "blockquote" and name == "expandable":
                return position, "expandable"
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" {self._at(begin)}'
            )
        position = self._skip_space(position + 1)
        if position >= len(source):
            raise EntityParseError(f"Unclosed start tag {self._at(begin)}")
        position, value = self._attribute_value(position)
        if position >= len(source):
            raise EntityParseError(f"Unclosed start tag {self._at(begin)}")
        return position, _tag_argument(tag, name, value, argument)

    def _attribute_value(self, position: int) -> tuple[int, str]:
        source = self.source
        quote = source[position]
        if quote not in "\"'":
            # An unquoted value is a name token: letters, digits, periods and hyphens.
            token_begin = position
            while position < len(source) and (
                (source[position].isascii() and source[position].isalnum())
                or source[position] in ".-"
            ):
                position += 1
            if position < len(source) and source[position] not in _SPACE | {">"}:
                raise EntityParseError(f"Unexpected end of name token {self._at(token_begin)}")
            return position, source[token_begin:position].lower()
        position += 1
        value: list[str] = []
        while position < len(source) and source[position] != quote:
            decoded = _decode_entity(source, position) if source[position] == "&" else None
            if decoded is None:
                value.append(source[position])
                position += 1
            else:
                value.append(decoded[0])
                position = decoded[1]
        return min(position + 1, len(source)), "".join(value)

    def _close_tag(self) -> None:
        source, begin = self.source, self.position
        if not self.open:
            raise EntityParseError(f"Unexpected end tag {self._at(begin)}")
        position = begin + 2
        while position < len(source) and source[position] not in _SPACE and source[position] != ">":
            position += 1
        end_name = source[begin + 2 : position]
        position = self._skip_space(position)
        if position >= len(source) or source[position] != ">":
            raise EntityParseError(f"Unclosed end tag {self._at(begin)}")
        tag = self.open.pop()
        if end_name and end_name != tag.name:
            raise EntityParseError(
                f'Unmatched end tag {self._at(begin)}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        self.position = position + 1
        self._add_entity(tag)

    def _add_entity(self, tag: _OpenTag) -> None:
        length = self.utf16_offset - tag.offset
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _TAG_ENTITIES[tag.name],
            "offset": tag.offset,
            "length": length,
        }
        if tag.name == "a":
            url = _link(tag.argument or "".join(self.text[tag.text_start :]))
            if url is None:
                return
            entity["url"] = url
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit():
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = tag.argument
        elif tag.name == "blockquote" and tag.argument == "expandable":
            entity["type"] = "expandable_blockquote"
        elif tag.name == "code" and tag.argument:
            self.code_languages[tag.offset, length] = tag.argument
        elif tag.name == "pre" and self._pops_inner_code(tag.offset, length):
            # <pre><code class="language-x">…</code></pre> is one pre entity with a language.
            language = self.code_languages.get((tag.offset, length))
            if language:
                entity["language"] = language
        self.entities.append(entity)

    def _pops_inner_code(self, offset: int, length: int) -> bool:
        inner = self.entities[-1] if self.entities else None
        if (
            inner
            and inner["type"] == "code"
            and (inner["offset"], inner["length"])
            == (
                offset,
                length,
            )
        ):
            self.entities.pop()
            return True
        return False


def _tag_argument(tag: str, attribute: str, value: str, argument: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return argument


def _decode_entity(source: str, position: int) -> tuple[str, int] | None:
    """The character an HTML entity at `position` stands for, and where it ends; None if none.

    Like Telegram: numeric references and &lt; &gt; &amp; &quot; only; the `;` is optional; an
    unknown entity stays as literal text.
    """
    end = position + 1
    if source.startswith("#", end):
        end += 1
        hexadecimal = source.startswith("x", end)
        end += hexadecimal
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(source) and source[end] in digits:
            end += 1
        if end == start or end - position >= 10:
            return None
        code = int(source[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        start = end
        while end < len(source) and source[end].isascii() and source[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(source[start:end])
        if named is None:
            return None
        char = named
    if source.startswith(";", end):
        end += 1
    return char, end


def _link(url: str) -> str | None:
    if url.startswith(_LINK_SCHEMES):
        return url
    if "." in url and not any(char in _SPACE for char in url):
        return f"http://{url}"
    return None
