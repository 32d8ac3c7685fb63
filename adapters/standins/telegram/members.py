"""Chat members: each status with the ChatMember shape Telegram gives it."""

from __future__ import annotations

from typing import Any, Literal, get_args

from adapters.standins.telegram.accounts import UserRecord

MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]
MEMBER_STATUSES: tuple[MemberStatus, ...] = get_args(MemberStatus)
# Statuses of people who can read and write in the chat.
PRESENT: frozenset[MemberStatus] = frozenset({"creator", "administrator", "member", "restricted"})

_ADMINISTRATOR_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_RESTRICTIONS = {
    "is_member": True,
    "can_send_messages": False,
    "can_send_audios": False,
    "can_send_documents": False,
    "can_send_photos": False,
    "can_send_videos": False,
    "can_send_video_notes": False,
    "can_send_voice_notes": False,
    "can_send_polls": False,
    "can_send_other_messages": False,
    "can_add_web_page_previews": False,
    "can_react_to_messages": False,
    "can_edit_tag": False,
    "can_change_info": False,
    "can_invite_users": False,
    "can_pin_messages": False,
    "can_manage_topics": False,
    "until_date": 0,
}


def chat_member(user: UserRecord, status: MemberStatus) -> dict[str, Any]:
    """The ChatMember object of a user with that status (Owner, Administrator, Member...)."""
    member: dict[str, Any] = {"status": status, "user": user.to_json()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(_ADMINISTRATOR_RIGHTS)
    elif status == "restricted":
        member.update(_RESTRICTIONS)
    elif status == "kicked":
        # 0: banned for ever.
        member["until_date"] = 0
    return member


def member_updated(
    chat: dict[str, Any],
    by: UserRecord,
    member: UserRecord,
    old: MemberStatus,
    new: MemberStatus,
    date: int,
) -> dict[str, Any]:
    """The ChatMemberUpdated object: who changed someone's membership, from what to what."""
    return {
        "chat": chat,
        "from": by.to_json(),
        "date": date,
        "old_chat_member": chat_member(member, old),
        "new_chat_member": chat_member(member, new),
    }
