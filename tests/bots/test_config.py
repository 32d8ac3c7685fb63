"""Loading settings: which file, its defaults, environment overrides, and clear refusals."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bots.config import ConfigError, PaymentSecrets, Secrets, load_settings
from core.identity import Identity, Platform
from core.money import Money
from core.payouts import NO_PAYOUTS, FeePolicy, PayoutTerms
from tests.bots.conftest import ROOT, SHIPPED_CONFIG, Backit, write_config


def test_the_shipped_defaults_are_safe_and_complete() -> None:
    settings = load_settings(env={})

    assert settings.database_url == "sqlite+aiosqlite:///data/backit.db"
    assert settings.pledges.limits.maximum("EUR") == Money(1_000_000, "EUR")
    assert settings.pledges.limits.maximum("JPY") == Money(1_500_000, "JPY")
    assert settings.scheduler.interval_seconds == 30
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8080)
    assert settings.web.public_url == "http://127.0.0.1:8080"
    assert settings.web.pledge_link_lifetime == timedelta(days=7)
    assert settings.stripe.api_base is None
    assert (settings.discord.api_base, settings.discord.gateway_url) == (None, None)
    assert settings.discord.invite_url is None
    assert settings.operators.identities == frozenset()
    assert settings.log.level == "INFO"
    assert settings.payments.terms == NO_PAYOUTS
    assert settings.secrets == Secrets()


def test_the_root_config_is_the_file_shipped_in_the_package() -> None:
    assert (ROOT / "config.toml").samefile(SHIPPED_CONFIG)


def test_config_toml_in_the_working_directory_is_read_first(tmp_path: Path) -> None:
    write_config(tmp_path, **{"interval_seconds = 30": "interval_seconds = 7"})

    assert load_settings(env={}).scheduler.interval_seconds == 7


def test_backit_config_names_another_file(tmp_path: Path) -> None:
    write_config(tmp_path, **{"interval_seconds = 30": "interval_seconds = 7"})
    (tmp_path / "other").mkdir()
    other = write_config(tmp_path / "other", **{"interval_seconds = 30": "interval_seconds = 9"})

    assert load_settings(env={"BACKIT_CONFIG": str(other)}).scheduler.interval_seconds == 9


def test_an_explicit_path_wins_over_backit_config(tmp_path: Path) -> None:
    explicit = write_config(tmp_path, **{"interval_seconds = 30": "interval_seconds = 11"})

    settings = load_settings(explicit, env={"BACKIT_CONFIG": str(tmp_path / "missing.toml")})

    assert settings.scheduler.interval_seconds == 11


def test_environment_overrides_are_parsed_to_each_settings_type() -> None:
    settings = load_settings(
        env={
            "BACKIT_DATABASE__URL": "sqlite+aiosqlite:///elsewhere.db",
            "BACKIT_PLEDGES__MAX_AMOUNT": "500",
            "BACKIT_PLEDGES__MAX_AMOUNT_BY_CURRENCY": "JPY=80000, KRW=700000",
            "BACKIT_SCHEDULER__INTERVAL_SECONDS": "5",
            "BACKIT_OPERATORS__IDENTITIES": "telegram:42, discord:80351110224678912",
            "BACKIT_LOG__LEVEL": "debug",
            "BACKIT_WEB__HOST": "::1",
            "BACKIT_WEB__PORT": "0",
            "BACKIT_WEB__PUBLIC_URL": "https://pledge.example.org/backit/",
            "BACKIT_WEB__PLEDGE_LINK_TTL_HOURS": "24",
            "BACKIT_STRIPE__API_BASE": "http://127.0.0.1:12111",
            "BACKIT_DISCORD__API_BASE": "http://127.0.0.1:12112/api/v10/",
            "BACKIT_DISCORD__GATEWAY_URL": "ws://127.0.0.1:12112/gateway",
            "BACKIT_DISCORD__INVITE_URL": "https://discord.gg/AbCdEf",
        }
    )

    assert settings.database_url == "sqlite+aiosqlite:///elsewhere.db"
    assert settings.pledges.limits.maximum("GBP") == Money(50_000, "GBP")
    assert settings.pledges.limits.maximum("KRW") == Money(700_000, "KRW")
    assert settings.scheduler.interval_seconds == 5
    assert settings.operators.identities == {
        Identity(Platform.TELEGRAM, "42"),
        Identity(Platform.DISCORD, "80351110224678912"),
    }
    assert settings.log.level == "DEBUG"
    assert (settings.web.host, settings.web.port) == ("::1", 0)
    assert settings.web.public_url == "https://pledge.example.org/backit"
    assert settings.web.pledge_link_lifetime == timedelta(hours=24)
    assert settings.stripe.api_base == "http://127.0.0.1:12111"
    assert settings.discord.api_base == "http://127.0.0.1:12112/api/v10"
    assert settings.discord.gateway_url == "ws://127.0.0.1:12112/gateway"
    assert settings.discord.invite_url == "https://discord.gg/AbCdEf"


def test_database_url_secret_wins_over_every_configured_url() -> None:
    settings = load_settings(
        env={
            "BACKIT_DATABASE__URL": "sqlite+aiosqlite:///elsewhere.db",
            "DATABASE_URL": "postgresql+asyncpg://backit:hunter2@db:5432/backit",
        }
    )

    assert settings.database_url == "postgresql+asyncpg://backit:hunter2@db:5432/backit"


def test_secrets_come_from_the_environment_and_never_show_in_repr() -> None:
    env = {
        "DATABASE_URL": "postgresql+asyncpg://backit:hunter2@db/backit",
        "TELEGRAM_BOT_TOKEN": "123456:telegram-token-value",
        "DISCORD_BOT_TOKEN": "discord-token-value",
        "STRIPE_SECRET_KEY": "sk_test_stripe-key-value",
        "STRIPE_WEBHOOK_SECRET": "whsec_webhook-value",
        "BACKIT_LINK_SECRET": "link-secret-value",
    }

    settings = load_settings(env=env)

    assert settings.secrets.telegram_bot_token == "123456:telegram-token-value"
    assert settings.secrets.link_secret == "link-secret-value"
    shown = f"{settings!r} {settings.secrets!s}"
    assert not [value for value in env.values() if value in shown]
    assert "telegram_bot_token" in repr(settings.secrets)


def test_an_empty_secret_counts_as_unset() -> None:
    assert load_settings(env={"STRIPE_SECRET_KEY": ""}).secrets.stripe_secret_key is None


def _refusal(env: dict[str, str], tmp_path: Path, **changes: str) -> str:
    path = write_config(tmp_path, **changes)
    with pytest.raises(ConfigError) as refused:
        load_settings(path, env)
    return str(refused.value).replace(str(path), "config.toml")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"interval_seconds = 30": 'interval_seconds = "abc"'},
            'config.toml: [scheduler] interval_seconds must be a positive integer, got "abc"',
        ),
        (
            {"interval_seconds = 30": "interval_seconds = 0"},
            "config.toml: [scheduler] interval_seconds must be a positive integer, got 0",
        ),
        (
            {"interval_seconds = 30": "interval_seconds = true"},
            "config.toml: [scheduler] interval_seconds must be a positive integer, got true",
        ),
        (
            {"interval_seconds = 30": ""},
            "config.toml: [scheduler] interval_seconds is missing",
        ),
        (
            {"max_amount = 10000": "max_amount = -1"},
            "config.toml: [pledges] max_amount must be a positive integer, got -1",
        ),
        (
            {"{ JPY = 1500000 }": '{ yen = "lots" }'},
            "config.toml: [pledges] max_amount_by_currency must be a table of currency codes "
            "to positive integers, like { JPY = 1500000 } (in the environment: "
            'JPY=1500000,KRW=13000000), got {"yen": "lots"}',
        ),
        (
            {"identities = []": 'identities = ["alice"]'},
            "config.toml: [operators] identities must be a list of platform identities like "
            '"telegram:123" or "discord:456" (in the environment: comma-separated), '
            'got ["alice"]',
        ),
        (
            {"identities = []": 'identities = ["telegram:²"]'},
            "config.toml: [operators] identities must be a list of platform identities like "
            '"telegram:123" or "discord:456" (in the environment: comma-separated), '
            'got ["telegram:²"]',
        ),
        (
            {'level = "INFO"': 'level = "LOUD"'},
            "config.toml: [log] level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, "
            'got "LOUD"',
        ),
        (
            {"port = 8080": "port = 65536"},
            "config.toml: [web] port must be a port number from 0 to 65535 (0: any free port), "
            "got 65536",
        ),
        (
            {"port = 8080": 'port = "8080"'},
            "config.toml: [web] port must be a port number from 0 to 65535 (0: any free port), "
            'got "8080"',
        ),
        (
            {'host = "127.0.0.1"': 'host = ""'},
            'config.toml: [web] host must be a non-empty string, got ""',
        ),
        (
            {'public_url = "http://127.0.0.1:8080"': 'public_url = "backit.example.org"'},
            "config.toml: [web] public_url must be an http(s) URL without query or fragment, "
            'like "https://backit.example.org", got "backit.example.org"',
        ),
        (
            {'public_url = "http://127.0.0.1:8080"': 'public_url = "https://x.org/?a=1"'},
            "config.toml: [web] public_url must be an http(s) URL without query or fragment, "
            'like "https://backit.example.org", got "https://x.org/?a=1"',
        ),
        (
            {"pledge_link_ttl_hours = 168": "pledge_link_ttl_hours = 0"},
            "config.toml: [web] pledge_link_ttl_hours must be a positive integer, got 0",
        ),
        (
            {'api_base = ""': 'api_base = "ftp://127.0.0.1:12111"'},
            "config.toml: [stripe] api_base must be empty, or an http(s) URL without query or "
            'fragment, like "http://127.0.0.1:12111", got "ftp://127.0.0.1:12111"',
        ),
        (
            {'api_base = ""': 'api_base = "http://127.0.0.1:port"'},
            "config.toml: [stripe] api_base must be empty, or an http(s) URL without query or "
            'fragment, like "http://127.0.0.1:12111", got "http://127.0.0.1:port"',
        ),
        (
            {'api_base = ""': ""},
            "config.toml: [stripe] api_base is missing",
        ),
        (
            {"connect = false": 'connect = "yes"'},
            'config.toml: [payments] connect must be true or false, got "yes"',
        ),
        (
            {"connect = false": "connect = 1"},
            "config.toml: [payments] connect must be true or false, got 1",
        ),
        *(
            (
                {'default_country = "FR"': f"default_country = {country}"},
                "config.toml: [payments] default_country must be a two-letter country code "
                'where Stripe opens Express accounts, like "FR", "DE", "GB" or "US", '
                f"got {country}",
            )
            # Not a country, a country Stripe opens no Express account in, not text.
            for country in ('"France"', '"ZZ"', '"BR"', '""', "33")
        ),
        *(
            (
                {"platform_fee_percent = 0": f"platform_fee_percent = {percent}"},
                "config.toml: [payments] platform_fee_percent must be a percentage from 0 to 50 "
                f'with at most two decimals, like 5 or 2.5 (or "2.5"), got {shown}',
            )
            for percent, shown in (
                ("-1", "-1"),
                ("50.01", "50.01"),
                ("2.505", "2.505"),
                ('"2,5"', '"2,5"'),
                ('"five"', '"five"'),
                ('"NaN"', '"NaN"'),
                ("inf", "Infinity"),
                ("true", "true"),
                ("[5]", "[5]"),
            )
        ),
        *(
            (
                {"platform_fee_fixed = {}": f"platform_fee_fixed = {fees}"},
                "config.toml: [payments] platform_fee_fixed must be a table of currency codes "
                "to amounts in minor units (cents) from 0 up, like { EUR = 30, JPY = 40 } (in "
                f"the environment: EUR=30,JPY=40), got {shown}",
            )
            for fees, shown in (
                ("{ EUR = -1 }", '{"EUR": -1}'),
                ("{ EUR = 0.3 }", '{"EUR": 0.3}'),
                ('{ EUR = "30" }', '{"EUR": "30"}'),
                ("{ eur = 30 }", '{"eur": 30}'),
                ("{ XYZ = 30 }", '{"XYZ": 30}'),
                ("30", "30"),
            )
        ),
        (
            {"[log]": "[log]\ncolour = true"},
            "config.toml: [log] has no setting called 'colour'",
        ),
        (
            {"[log]": "[logging]\n[log]"},
            "config.toml: [logging] is not a known section",
        ),
        (
            {"[scheduler]": "[unused]", "# Backit's settings.": "scheduler = 5\n#"},
            "config.toml: [scheduler] must be a table",
        ),
    ],
)
def test_a_malformed_file_setting_is_named_in_one_message(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    assert _refusal({}, tmp_path, **changes) == message


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "BACKIT_SCHEDULER__INTERVAL_SECONDS",
            "abc",
            'BACKIT_SCHEDULER__INTERVAL_SECONDS must be a positive integer, got "abc"',
        ),
        (
            "BACKIT_PLEDGES__MAX_AMOUNT_BY_CURRENCY",
            "JPY:5",
            "BACKIT_PLEDGES__MAX_AMOUNT_BY_CURRENCY must be a table of currency codes to "
            "positive integers, like { JPY = 1500000 } (in the environment: "
            'JPY=1500000,KRW=13000000), got "JPY:5"',
        ),
        (
            "BACKIT_OPERATORS__IDENTITIES",
            "telegram:42,slack:7",
            "BACKIT_OPERATORS__IDENTITIES must be a list of platform identities like "
            '"telegram:123" or "discord:456" (in the environment: comma-separated), '
            'got "telegram:42,slack:7"',
        ),
        (
            "BACKIT_DISCORD__GATEWAY_URL",
            "http://127.0.0.1:12112/gateway",
            "BACKIT_DISCORD__GATEWAY_URL must be empty, or a ws(s) URL without query or "
            'fragment, like "ws://127.0.0.1:12112/gateway", got "http://127.0.0.1:12112/gateway"',
        ),
        *(
            (
                "BACKIT_DISCORD__INVITE_URL",
                link,
                "BACKIT_DISCORD__INVITE_URL must be empty, or a server invite or app install "
                "link on https://discord.gg or https://discord.com, like "
                f'"https://discord.gg/AbCdEf", got "{link}"',
            )
            # Not https, not Discord, nowhere in particular on Discord.
            for link in (
                "http://discord.gg/AbCdEf",
                "https://discord.example.org/AbCdEf",
                "https://discord.gg/",
            )
        ),
        (
            "BACKIT_PAYMENTS__CONNECT",
            "yes",
            'BACKIT_PAYMENTS__CONNECT must be true or false, got "yes"',
        ),
        (
            "BACKIT_PAYMENTS__PLATFORM_FEE_PERCENT",
            "51",
            "BACKIT_PAYMENTS__PLATFORM_FEE_PERCENT must be a percentage from 0 to 50 with at "
            'most two decimals, like 5 or 2.5 (or "2.5"), got "51"',
        ),
        (
            "BACKIT_PAYMENTS__PLATFORM_FEE_FIXED",
            "EUR:30",
            "BACKIT_PAYMENTS__PLATFORM_FEE_FIXED must be a table of currency codes to amounts "
            "in minor units (cents) from 0 up, like { EUR = 30, JPY = 40 } (in the "
            'environment: EUR=30,JPY=40), got "EUR:30"',
        ),
        ("BACKIT_SCHEDULER__INTERVAL", "5", "BACKIT_SCHEDULER__INTERVAL names no setting"),
    ],
)
def test_a_malformed_override_is_named_in_one_message(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    assert _refusal({variable: value}, tmp_path) == message


def test_a_malformed_database_url_is_refused_without_repeating_it(tmp_path: Path) -> None:
    message = _refusal({"DATABASE_URL": "postgresql+asyncpg//backit:hunter2@db"}, tmp_path)

    assert message.startswith("DATABASE_URL must be a database URL")
    assert "hunter2" not in message


def test_a_malformed_database_url_in_the_file_is_not_repeated_either(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'backit.db'}"

    message = _refusal({}, tmp_path, **{url: "backit:hunter2@nowhere"})

    assert message == (
        "config.toml: [database] url must be a database URL like "
        "sqlite+aiosqlite:///data/backit.db (the value is not shown)"
    )


def test_a_file_that_is_not_toml_is_refused_with_the_parser_s_reason(tmp_path: Path) -> None:
    message = _refusal({}, tmp_path, **{"[log]": "[log"})

    assert message.startswith("config.toml: not valid TOML: Expected ']'")


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml: cannot read the config file"):
        load_settings(tmp_path / "missing.toml", {})


def test_the_cli_stops_with_exit_code_2_and_one_line_on_bad_settings(
    backit: Backit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKIT_SCHEDULER__INTERVAL_SECONDS", "abc")
    monkeypatch.setenv("DATABASE_URL", "not a url, but hunter2")

    run = backit("campaigns", "list")

    assert run.code == 2
    assert run.out == ""
    assert run.err == (
        'error: BACKIT_SCHEDULER__INTERVAL_SECONDS must be a positive integer, got "abc"\n'
    )


PAYMENT_ENV = {
    "STRIPE_SECRET_KEY": "sk_test_stripe-key-value",
    "STRIPE_WEBHOOK_SECRET": "whsec_webhook-value",
    "BACKIT_LINK_SECRET": "link-secret-value-of-32-bytes-at-least",
}


def test_payments_are_off_without_any_of_their_secrets() -> None:
    assert Secrets.from_env({"DISCORD_BOT_TOKEN": "token"}).payments() is None


def test_payments_are_on_with_all_three_secrets() -> None:
    payments = Secrets.from_env(PAYMENT_ENV).payments()

    assert payments == PaymentSecrets(*PAYMENT_ENV.values())
    assert not [value for value in PAYMENT_ENV.values() if value in repr(payments)]


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        (["STRIPE_SECRET_KEY"], "STRIPE_WEBHOOK_SECRET and BACKIT_LINK_SECRET are"),
        (["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"], "BACKIT_LINK_SECRET is"),
        (["BACKIT_LINK_SECRET"], "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are"),
    ],
)
def test_some_payment_secrets_without_the_others_are_refused_by_name(
    present: list[str], missing: str
) -> None:
    secrets = Secrets.from_env({name: PAYMENT_ENV[name] for name in present})

    with pytest.raises(ConfigError) as refused:
        secrets.payments()

    assert str(refused.value) == (
        "payments need STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and BACKIT_LINK_SECRET "
        f"together; {missing} not set (set all three to take payments, or none to run "
        "without them)"
    )


def test_a_link_secret_shorter_than_32_bytes_is_refused_without_showing_it() -> None:
    secrets = Secrets.from_env({**PAYMENT_ENV, "BACKIT_LINK_SECRET": "é" * 15 + "x"})

    with pytest.raises(ConfigError) as refused:
        secrets.payments()

    assert str(refused.value) == (
        "BACKIT_LINK_SECRET must be at least 32 bytes long (the value is not shown); "
        "`openssl rand -hex 32` makes one"
    )


def test_run_with_half_configured_payments_stops_before_starting_anything(
    backit: Backit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRIPE_SECRET_KEY", PAYMENT_ENV["STRIPE_SECRET_KEY"])
    monkeypatch.setenv("BACKIT_LINK_SECRET", PAYMENT_ENV["BACKIT_LINK_SECRET"])

    run = backit("run")

    assert run.code == 2
    assert run.out == ""
    assert run.err.splitlines() == [
        "error: payments need STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and BACKIT_LINK_SECRET "
        "together; STRIPE_WEBHOOK_SECRET is not set (set all three to take payments, or none "
        "to run without them)"
    ]


@pytest.mark.parametrize(
    ("percent", "basis_points"),
    [
        ("5", 500),
        ("2.5", 250),
        ('"2.5"', 250),
        ("0.01", 1),
        ("50", 5000),
        ("0", 0),
        ("12.30", 1230),
    ],
)
def test_the_fee_percentage_is_read_as_whole_hundredths_of_a_percent(
    tmp_path: Path, percent: str, basis_points: int
) -> None:
    path = write_config(
        tmp_path, **{"platform_fee_percent = 0": f"platform_fee_percent = {percent}"}
    )

    assert load_settings(path, {}).payments.platform_fee_percent == basis_points


def test_the_payments_section_makes_core_s_payout_terms(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        **{
            "connect = false": "connect = true",
            'default_country = "FR"': 'default_country = "de"',
            "platform_fee_percent = 0": "platform_fee_percent = 2.5",
            "platform_fee_fixed = {}": (
                "platform_fee_fixed = { EUR = 30, USD = 30, GBP = 20, JPY = 40 }"
            ),
        },
    )

    terms = load_settings(path, {}).payments.terms

    assert terms == PayoutTerms(
        connect=True,
        fees=FeePolicy(250, {"EUR": 30, "USD": 30, "GBP": 20, "JPY": 40}),
        platform_country="DE",
    )
    # 2.5 % of €10.01 is 25.025 cents, rounded down, plus 30 cents.
    assert terms.fees.fee(Money(1001, "EUR")) == Money(55, "EUR")


def test_the_payments_settings_are_overridden_from_the_environment() -> None:
    settings = load_settings(
        env={
            "BACKIT_PAYMENTS__CONNECT": "TRUE",
            "BACKIT_PAYMENTS__DEFAULT_COUNTRY": "gb",
            "BACKIT_PAYMENTS__PLATFORM_FEE_PERCENT": "7.25",
            "BACKIT_PAYMENTS__PLATFORM_FEE_FIXED": "GBP=20, JPY=0",
        }
    )

    assert settings.payments.terms == PayoutTerms(
        connect=True, fees=FeePolicy(725, {"GBP": 20, "JPY": 0}), platform_country="GB"
    )


CONNECT_SECRET = "whsec_connect-value"


def test_the_connect_webhook_secret_is_needed_only_with_connect_and_payments() -> None:
    payments = Secrets.from_env(PAYMENT_ENV).payments()
    with_secret = Secrets.from_env({**PAYMENT_ENV, "STRIPE_CONNECT_WEBHOOK_SECRET": CONNECT_SECRET})

    assert with_secret.connect_webhook(payments, connect=True) == CONNECT_SECRET
    assert with_secret.connect_webhook(payments, connect=False) is None
    assert Secrets.from_env({}).connect_webhook(None, connect=True) is None
    assert CONNECT_SECRET not in repr(with_secret)


def test_connect_with_payments_but_no_connect_webhook_secret_is_refused_by_name() -> None:
    secrets = Secrets.from_env(PAYMENT_ENV)

    with pytest.raises(ConfigError) as refused:
        secrets.connect_webhook(secrets.payments(), connect=True)

    assert str(refused.value) == (
        "[payments] connect = true needs STRIPE_CONNECT_WEBHOOK_SECRET, the signing secret of "
        "the Connect webhook endpoint (/stripe/connect-webhook); set it, or set connect = false"
    )


def test_run_with_connect_but_no_connect_webhook_secret_stops_before_starting_anything(
    backit: Backit, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in PAYMENT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BACKIT_PAYMENTS__CONNECT", "true")

    run = backit("run")

    assert run.code == 2
    assert run.out == ""
    assert run.err.splitlines() == [
        "error: [payments] connect = true needs STRIPE_CONNECT_WEBHOOK_SECRET, the signing "
        "secret of the Connect webhook endpoint (/stripe/connect-webhook); set it, or set "
        "connect = false"
    ]
