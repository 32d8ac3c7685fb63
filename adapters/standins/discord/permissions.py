"""Discord's permission bits, and how a member's permissions in a channel are worked out."""

from __future__ import annotations

from adapters.standins.discord.records import MEMBER_OVERWRITE, Channel, Guild

CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CONNECT = 1 << 20
SPEAK = 1 << 21
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38

# The largest permission value Discord's API accepts: every bit it may define.
ALL = (1 << 54) - 1

# What @everyone may do in a new server.
EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CONNECT
    | SPEAK
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

# What a bot's invite link asks for by default here: enough to post cards and answer.
BOT_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | ATTACH_FILES


def server_permissions(guild: Guild, user_id: int) -> int:
    """A member's permissions across the server, before channel overwrites."""
    if user_id == guild.owner_id:
        return ALL
    membership = guild.members[user_id]
    granted = guild.everyone.permissions
    for role_id in membership.role_ids:
        granted |= guild.roles[role_id].permissions
    return ALL if granted & ADMINISTRATOR else granted


def channel_permissions(guild: Guild, channel: Channel, user_id: int) -> int:
    """A member's permissions in a channel: server roles, then the channel's overwrites."""
    granted = server_permissions(guild, user_id)
    if granted == ALL:
        return ALL
    overwrites = {overwrite.id: overwrite for overwrite in channel.overwrites}
    # Discord applies @everyone's overwrite, then the roles' together, then the member's.
    everyone = overwrites.get(guild.id)
    if everyone is not None:
        granted = (granted & ~everyone.deny) | everyone.allow
    role_ids = guild.members[user_id].role_ids
    roles = [
        overwrites[r]
        for r in role_ids
        if r in overwrites and overwrites[r].type != MEMBER_OVERWRITE
    ]
    deny = allow = 0
    for overwrite in roles:
        deny |= overwrite.deny
        allow |= overwrite.allow
    granted = (granted & ~deny) | allow
    member = overwrites.get(user_id)
    if member is not None and member.type == MEMBER_OVERWRITE:
        granted = (granted & ~member.deny) | member.allow
    return granted
