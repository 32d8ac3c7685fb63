"""Files a bot attaches to a message: multipart `payload_json` and `files[n]` parts, checked
against Discord's limits, kept so that their URLs can be downloaded."""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import BodyPartReader, web

from adapters.standins.discord.errors import DiscordError, FormErrors, invalid_form

# Discord's default upload limit, which every interaction reports as attachment_size_limit.
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
MAX_FILES = 10
MAX_FILENAME = 1024
# Room for ten files at the limit and the JSON beside them; Discord refuses larger bodies.
MAX_REQUEST_SIZE = MAX_FILES * ATTACHMENT_SIZE_LIMIT + 1024 * 1024
_FILE_PART = re.compile(r"files\[([0-9]+)\]")


@dataclass(frozen=True)
class Upload:
    """One `files[n]` part."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class StoredAttachment:
    """An attached file the stand-in serves at its URL."""

    id: int
    filename: str
    content_type: str
    data: bytes

    @property
    def path(self) -> str:
        """Where it is downloaded, as on Discord's CDN."""
        return f"/attachments/{self.id}/{quote(self.filename)}"


def too_large() -> DiscordError:
    """Discord's answer to a file, or a whole request, over the limit."""
    return DiscordError(413, 40005, "Request entity too large")


async def read_multipart(request: web.Request) -> tuple[Any, dict[int, Upload]]:
    """The JSON of `payload_json` and the uploaded files by their index."""
    try:
        reader = await request.multipart()
        payload: Any = None
        uploads: dict[int, Upload] = {}
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise _malformed()
            data = bytes(await part.read())
            found = _FILE_PART.fullmatch(part.name or "")
            if part.name == "payload_json":
                payload = json.loads(data)
            elif found is not None:
                uploads[int(found.group(1))] = _upload(part, data)
    except web.HTTPRequestEntityTooLarge:
        raise too_large() from None
    except (ValueError, AssertionError):
        raise _malformed() from None
    if len(uploads) > MAX_FILES:
        form = FormErrors()
        form.too_long(("files",), MAX_FILES)
        raise invalid_form(form.tree)
    if any(len(upload.data) > ATTACHMENT_SIZE_LIMIT for upload in uploads.values()):
        raise too_large()
    return payload, uploads


def _upload(part: BodyPartReader, data: bytes) -> Upload:
    filename = part.filename or ""
    content_type = part.headers.get("Content-Type", "application/octet-stream")
    if content_type == "application/octet-stream":
        # Like Discord, a type the sender did not give is guessed from the name.
        content_type = mimetypes.guess_type(filename)[0] or content_type
    return Upload(filename, content_type, data)


def _malformed() -> DiscordError:
    return DiscordError(400, 50109, "The request body contains invalid JSON.")


class AttachmentStore:
    """Every file attached so far, by id."""

    def __init__(self, next_id: Callable[[], int]) -> None:
        self._next_id = next_id
        self._by_id: dict[int, StoredAttachment] = {}

    def get(self, attachment_id: int) -> StoredAttachment | None:
        """The attachment with that id, if any."""
        return self._by_id.get(attachment_id)

    def keep(self, upload: Upload) -> StoredAttachment:
        """Store a file under a new id, to be served at its URL."""
        kept = StoredAttachment(self._next_id(), upload.filename, upload.content_type, upload.data)
        self._by_id[kept.id] = kept
        return kept

    def resolve(
        self, form: FormErrors, listed: Any, uploads: Mapping[int, Upload], origin: str
    ) -> list[dict[str, Any]] | None:
        """The attachment objects a body's `attachments` names: each a part uploaded with it
        (by index) or a file attached before (by id); None when the body names none."""
        if listed is None and uploads:
            listed = [{"id": index} for index in sorted(uploads)]
        if listed is None:
            return None
        if not isinstance(listed, list):
            form.wrong_type(("attachments",), "array", listed)
            return None
        if len(listed) > MAX_FILES:
            form.too_long(("attachments",), MAX_FILES)
            return None
        resolved = []
        for index, entry in enumerate(listed):
            path = ("attachments", index)
            key = str(entry.get("id")) if isinstance(entry, dict) else ""
            upload = uploads.get(int(key)) if key.isdigit() else None
            kept = self._by_id.get(int(key)) if key.isdigit() and upload is None else None
            if upload is None and kept is None:
                form.add((*path, "id"), "ATTACHMENT_NOT_FOUND", "Unknown attachment.")
                continue
            if upload is not None:
                assert isinstance(entry, dict)
                filename = entry.get("filename") or upload.filename
                if not isinstance(filename, str) or not 1 <= len(filename) <= MAX_FILENAME:
                    form.length_between((*path, "filename"), 1, MAX_FILENAME)
                    continue
                kept = self.keep(Upload(filename, upload.content_type, upload.data))
            assert kept is not None
            resolved.append(attachment_object(kept, origin))
        return resolved


def attachment_object(stored: StoredAttachment, origin: str) -> dict[str, Any]:
    """The message's attachment object, its URLs on the stand-in's host."""
    url = origin + stored.path
    return {
        "id": str(stored.id),
        "filename": stored.filename,
        "size": len(stored.data),
        "url": url,
        "proxy_url": url,
        "content_type": stored.content_type,
    }
