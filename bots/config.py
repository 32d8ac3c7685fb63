"""Settings: config.toml holds everything that is not secret; secrets come from the environment."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_type_hints

from bots.setting_kinds import (
    ACCOUNT_COUNTRY,
    BOOLEAN,
    CURRENCY_AMOUNTS,
    CURRENCY_FEES,
    DATABASE_URL,
    FEE_PERCENT,
    HTTP_URL,
    IDENTITIES,
    LOG_LEVEL,
    OPTIONAL_DISCORD_LINK,
    OPTIONAL_HTTP_URL,
    OPTIONAL_WEBSOCKET_URL,
    PORT,
    POSITIVE_INT,
    TELEGRAM_MODE,
    TEXT,
    Kind,
)
from core.identity import Identity
from core.payouts import FeePolicy, PayoutTerms
from core.pledge_links import MIN_SECRET_BYTES
from core.rate_limits import Rate, SendLimits
from core.usecases.dispatching import DispatchSettings
from core.usecases.pledging import PledgeLimits

DEFAULT_PATH = Path("config.toml")
SHIPPED_NAME = "default_config.toml"
OVERRIDE_PREFIX = "BACKIT_"
_MISSING = object()

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")


class ConfigError(Exception):
    """Settings that cannot be used; the message names the one at fault, never a secret."""


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """Where campaigns, backers and pledges are stored."""

    # Kept out of repr: a URL written here may still carry a password.
    url: Annotated[str, DATABASE_URL] = field(repr=False)


@dataclass(frozen=True, slots=True)
class PledgeSettings:
    """The largest pledge accepted, in major units, by default and per currency."""

    max_amount: Annotated[int, POSITIVE_INT]
    max_amount_by_currency: Annotated[Mapping[str, int], CURRENCY_AMOUNTS]

    @property
    def limits(self) -> PledgeLimits:
        """These ceilings as core applies them."""
        return PledgeLimits(self.max_amount, self.max_amount_by_currency)


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """How often campaigns past their deadline are closed."""

    interval_seconds: Annotated[int, POSITIVE_INT]


@dataclass(frozen=True, slots=True)
class DispatcherSettings:
    """How the outbox is delivered: batches, leases and retries."""

    batch_size: Annotated[int, POSITIVE_INT]
    connections: Annotated[int, POSITIVE_INT]
    lease_seconds: Annotated[int, POSITIVE_INT]
    max_attempts: Annotated[int, POSITIVE_INT]
    first_retry_seconds: Annotated[int, POSITIVE_INT]
    last_retry_seconds: Annotated[int, POSITIVE_INT]
    report_interval_seconds: Annotated[int, POSITIVE_INT]
    stop_timeout_seconds: Annotated[int, POSITIVE_INT]

    @property
    def dispatch(self) -> DispatchSettings:
        """These settings as core's dispatcher takes them."""
        return DispatchSettings(
            batch_size=self.batch_size,
            lease=timedelta(seconds=self.lease_seconds),
            max_attempts=self.max_attempts,
            first_retry=timedelta(seconds=self.first_retry_seconds),
            last_retry=timedelta(seconds=self.last_retry_seconds),
            report_every=timedelta(seconds=self.report_interval_seconds),
            stop_timeout=self.stop_timeout_seconds,
        )


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Where the web server listens, the address the outside world reaches it at, link lifetime."""

    host: Annotated[str, TEXT]
    port: Annotated[int, PORT]
    public_url: Annotated[str, HTTP_URL]
    pledge_link_ttl_hours: Annotated[int, POSITIVE_INT]

    @property
    def pledge_link_lifetime(self) -> timedelta:
        """How long a pledge link stays valid after it is made."""
        return timedelta(hours=self.pledge_link_ttl_hours)


@dataclass(frozen=True, slots=True)
class StripeSettings:
    """Which Stripe API the client talks to."""

    # None is Stripe's own API; a URL points the client elsewhere, such as a stand-in.
    api_base: Annotated[str | None, OPTIONAL_HTTP_URL]


@dataclass(frozen=True, slots=True)
class PaymentSettings:
    """Whether creators are paid through their own Stripe accounts, and Backit's fee."""

    connect: Annotated[bool, BOOLEAN]
    # Where creators' accounts are opened unless they say, and the platform's own country.
    default_country: Annotated[str, ACCOUNT_COUNTRY]
    # Read as a percentage (2.5), kept in hundredths of a percent (250): integers only.
    platform_fee_percent: Annotated[int, FEE_PERCENT]
    # Per currency, in its minor unit.
    platform_fee_fixed: Annotated[Mapping[str, int], CURRENCY_FEES]

    @property
    def terms(self) -> PayoutTerms:
        """These settings as core pays creators by them."""
        return PayoutTerms(
            connect=self.connect,
            fees=FeePolicy(self.platform_fee_percent, self.platform_fee_fixed),
            platform_country=self.default_country,
        )


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """How the Telegram bot receives updates, and where its Bot API is."""

    mode: Annotated[str, TELEGRAM_MODE]
    base_url: Annotated[str | None, OPTIONAL_HTTP_URL]
    messages_per_second: Annotated[int, POSITIVE_INT]
    private_chat_messages_per_second: Annotated[int, POSITIVE_INT]
    group_messages_per_minute: Annotated[int, POSITIVE_INT]

    @property
    def send_limits(self) -> SendLimits:
        """The limits the notification sender keeps."""
        return SendLimits(
            overall=Rate(self.messages_per_second, 1.0),
            private_chat=Rate(self.private_chat_messages_per_second, 1.0),
            group=Rate(self.group_messages_per_minute, 60.0),
        )


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    """Where the Discord bot's REST API and gateway are, and where web pages send people to
    back campaigns on Discord."""

    # None is Discord's own; URLs point the bot elsewhere, such as a stand-in.
    api_base: Annotated[str | None, OPTIONAL_HTTP_URL]
    gateway_url: Annotated[str | None, OPTIONAL_WEBSOCKET_URL]
    # None: campaign pages show no Discord button.
    invite_url: Annotated[str | None, OPTIONAL_DISCORD_LINK]
    requests_per_second: Annotated[int, POSITIVE_INT]
    channel_messages: Annotated[int, POSITIVE_INT]
    channel_window_seconds: Annotated[int, POSITIVE_INT]

    @property
    def send_limits(self) -> SendLimits:
        """The limits the notification sender keeps: DMs and channels alike."""
        channel = Rate(self.channel_messages, float(self.channel_window_seconds))
        return SendLimits(Rate(self.requests_per_second, 1.0), channel, channel)


@dataclass(frozen=True, slots=True)
class OperatorSettings:
    """The people who may act on any campaign as its creator can."""

    identities: Annotated[frozenset[Identity], IDENTITIES]


@dataclass(frozen=True, slots=True)
class LogSettings:
    """How much the process logs."""

    level: Annotated[str, LOG_LEVEL]


PAYMENT_VARIABLES = ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "BACKIT_LINK_SECRET")


@dataclass(frozen=True, slots=True, repr=False)
class PaymentSecrets:
    """The three secrets that taking payments needs, all present and usable."""

    stripe_secret_key: str
    stripe_webhook_secret: str
    link_secret: str

    def __repr__(self) -> str:
        return "PaymentSecrets(...)"


@dataclass(frozen=True, slots=True, repr=False)
class Secrets:
    """Credentials, read from the environment only; unset ones are None."""

    database_url: str | None = field(default=None, metadata={"env": "DATABASE_URL"})
    telegram_bot_token: str | None = field(default=None, metadata={"env": "TELEGRAM_BOT_TOKEN"})
    telegram_webhook_secret: str | None = field(
        default=None, metadata={"env": "TELEGRAM_WEBHOOK_SECRET"}
    )
    discord_bot_token: str | None = field(default=None, metadata={"env": "DISCORD_BOT_TOKEN"})
    stripe_secret_key: str | None = field(default=None, metadata={"env": "STRIPE_SECRET_KEY"})
    stripe_webhook_secret: str | None = field(
        default=None, metadata={"env": "STRIPE_WEBHOOK_SECRET"}
    )
    link_secret: str | None = field(default=None, metadata={"env": "BACKIT_LINK_SECRET"})
    stripe_connect_webhook_secret: str | None = field(
        default=None, metadata={"env": "STRIPE_CONNECT_WEBHOOK_SECRET"}
    )

    def __repr__(self) -> str:
        present = [item.name for item in fields(self) if getattr(self, item.name) is not None]
        return f"Secrets(set={present})"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Secrets:
        """Read every secret; an empty variable counts as unset."""
        values = {item.name: env.get(item.metadata["env"]) or None for item in fields(cls)}
        if values["database_url"] is not None:
            _parse(DATABASE_URL, values["database_url"], "DATABASE_URL", from_env=True)
        return cls(**values)

    def payments(self) -> PaymentSecrets | None:
        """All three payment secrets, or None when none is set; anything between is refused."""
        key, webhook, link = self.stripe_secret_key, self.stripe_webhook_secret, self.link_secret
        if key is None and webhook is None and link is None:
            return None
        if key is None or webhook is None or link is None:
            values = (key, webhook, link)
            missing = [n for n, v in zip(PAYMENT_VARIABLES, values, strict=True) if v is None]
            raise ConfigError(
                "payments need STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and BACKIT_LINK_SECRET "
                f"together; {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not "
                "set (set all three to take payments, or none to run without them)"
            )
        if len(link.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"BACKIT_LINK_SECRET must be at least {MIN_SECRET_BYTES} bytes long "
                "(the value is not shown); `openssl rand -hex 32` makes one"
            )
        return PaymentSecrets(key, webhook, link)

    def connect_webhook(self, payments: PaymentSecrets | None, connect: bool) -> str | None:
        """STRIPE_CONNECT_WEBHOOK_SECRET when creators are paid through their own accounts and
        payments are on (their account events come signed with it); None otherwise."""
        if payments is None or not connect:
            return None
        if self.stripe_connect_webhook_secret is None:
            raise ConfigError(
                "[payments] connect = true needs STRIPE_CONNECT_WEBHOOK_SECRET, the signing "
                "secret of the Connect webhook endpoint (/stripe/connect-webhook); set it, or "
                "set connect = false"
            )
        return self.stripe_connect_webhook_secret

    def stripe_key(self, command: str) -> str:
        """STRIPE_SECRET_KEY, which `command` cannot do without."""
        if self.stripe_secret_key is None:
            raise ConfigError(f"{command} talks to Stripe: set STRIPE_SECRET_KEY")
        return self.stripe_secret_key


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the process is configured with; each section is one [table] of config.toml."""

    database: DatabaseSettings
    pledges: PledgeSettings
    scheduler: SchedulerSettings
    dispatcher: DispatcherSettings
    web: WebSettings
    stripe: StripeSettings
    payments: PaymentSettings
    telegram: TelegramSettings
    discord: DiscordSettings
    operators: OperatorSettings
    log: LogSettings
    secrets: Secrets

    @property
    def database_url(self) -> str:
        """DATABASE_URL when it is set, else [database] url."""
        return self.secrets.database_url or self.database.url


def load_settings(path: Path | None = None, env: Mapping[str, str] = os.environ) -> Settings:
    """Read the config file, apply BACKIT_<SECTION>__<KEY> overrides, and read the secrets.

    The file is `path`, else BACKIT_CONFIG, else ./config.toml, else the copy shipped
    with the package.
    """
    source, text = _config_text(path, env)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    overrides = {
        name: value
        for name, value in env.items()
        if name.startswith(OVERRIDE_PREFIX) and "__" in name
    }
    hints = get_type_hints(Settings)
    sections: dict[str, Any] = {
        item.name: _section(source, item.name, hints[item.name], document, overrides)
        for item in fields(Settings)
        if item.name != "secrets"
    }
    if document:
        raise ConfigError(f"{source}: [{next(iter(document))}] is not a known section")
    if overrides:
        raise ConfigError(f"{next(iter(overrides))} names no setting")
    return Settings(**sections, secrets=Secrets.from_env(env))


def _config_text(path: Path | None, env: Mapping[str, str]) -> tuple[str, str]:
    if path is None and env.get("BACKIT_CONFIG"):
        path = Path(env["BACKIT_CONFIG"])
    if path is None and DEFAULT_PATH.is_file():
        path = DEFAULT_PATH
    if path is None:
        shipped = files("bots").joinpath(SHIPPED_NAME)
        return f"{SHIPPED_NAME} (shipped with backit)", shipped.read_text(encoding="utf-8")
    try:
        return str(path), path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None


def _section(
    source: str, name: str, cls: type[D], document: dict[str, Any], overrides: dict[str, str]
) -> D:
    """Build one section from its table and its overrides, consuming both."""
    table = document.pop(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [{name}] must be a table")
    hints = get_type_hints(cls, include_extras=True)
    values: dict[str, Any] = {}
    for item in fields(cls):
        kind: Kind[Any] = hints[item.name].__metadata__[0]
        variable = f"{OVERRIDE_PREFIX}{name.upper()}__{item.name.upper()}"
        in_file = table.pop(item.name, _MISSING)
        if variable in overrides:
            values[item.name] = _parse(kind, overrides.pop(variable), variable, from_env=True)
        elif in_file is not _MISSING:
            label = f"{source}: [{name}] {item.name}"
            values[item.name] = _parse(kind, in_file, label, from_env=False)
        else:
            raise ConfigError(f"{source}: [{name}] {item.name} is missing")
    if table:
        raise ConfigError(f"{source}: [{name}] has no setting called {next(iter(table))!r}")
    return cls(**values)


def _parse(kind: Kind[T], raw: Any, label: str, *, from_env: bool) -> T:
    try:
        return kind.from_env(raw) if from_env else kind.from_toml(raw)
    except ValueError:
        got = "" if kind.secret else f", got {json.dumps(raw, ensure_ascii=False, default=str)}"
        raise ConfigError(f"{label} must be {kind.expected}{got}") from None
