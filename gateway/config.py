"""Loads the configuration: shipped defaults, then `--config FILE`, then `GATEWAY_*` variables."""

import ipaddress
import json
import os
import re
import tomllib
import types
import typing
from dataclasses import fields, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from gateway.config_sections import (  # noqa: F401 - the sections are part of this module's interface
    Accounting,
    Approvals,
    Auth,
    Bills,
    Company,
    Config,
    Extraction,
    Imap,
    Invoicing,
    Mail,
    Observability,
    Outbound,
    Parsing,
    Queue,
    Reminders,
    Retention,
    Smtp,
    Storage,
)
from gateway.resources import resource_dir
from receivables.business_days import SUBDIVISIONS

ENV_PREFIX = "GATEWAY_"


class ConfigError(Exception):
    """A configuration value is wrong; the message names the key."""


def default_config_path() -> Path:
    return resource_dir("config") / "gateway.toml"


def load_config(path: str | Path | None = None, environ: typing.Mapping[str, str] | None = None) -> Config:
    """Build the configuration in layers; any bad key or value raises ConfigError naming it."""
    environ = os.environ if environ is None else environ
    config = Config()
    config = _apply_file(config, default_config_path())
    if path:
        config = _apply_file(config, Path(path))
    config = _apply_environment(config, environ)
    validate(config)
    return config


def _apply_file(config: Config, path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    for section_name, values in data.items():
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: [{section_name}] must be a table")
        for key, value in values.items():
            config = _set(config, section_name, key, value, source=str(path))
    return config


def _apply_environment(config: Config, environ: typing.Mapping[str, str]) -> Config:
    for name, raw in sorted(environ.items()):
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        section_name, _, key = name[len(ENV_PREFIX):].lower().partition("__")
        expected = _field_type(section_name, key, source=name)
        config = _set(config, section_name, key, _decode_env(name, raw, expected), source=name)
    return config


def _field_type(section_name: str, key: str, source: str) -> type:
    section_fields = {f.name: f for f in fields(Config)}
    if section_name not in section_fields:
        raise ConfigError(f"{source}: unknown section [{section_name}]")
    section_type = section_fields[section_name].type
    hints = typing.get_type_hints(section_type)
    if key not in hints:
        raise ConfigError(f"{source}: unknown key {section_name}.{key}")
    return hints[key]


def _decode_env(name: str, raw: str, expected: type) -> object:
    """Environment values are text; lists, numbers and booleans are read as JSON."""
    if expected is str:
        return raw
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        if expected is bool and raw.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return raw.lower() in {"true", "yes", "1"}
        raise ConfigError(f"{name}: expected a JSON value of type {_type_name(expected)}, got {raw!r}") from None


def _set(config: Config, section_name: str, key: str, value: object, source: str) -> Config:
    expected = _field_type(section_name, key, source)
    if not _matches(value, expected):
        raise ConfigError(
            f"{source}: {section_name}.{key} must be {_type_name(expected)}, got {value!r}"
        )
    section = getattr(config, section_name)
    return replace(config, **{section_name: replace(section, **{key: value})})


def _matches(value: object, expected: type) -> bool:
    origin = typing.get_origin(expected)
    if origin is list:
        (item_type,) = typing.get_args(expected)
        return isinstance(value, list) and all(isinstance(item, item_type) for item in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(expected: type) -> str:
    if typing.get_origin(expected) is list:
        return f"a list of {typing.get_args(expected)[0].__name__}"
    if isinstance(expected, types.GenericAlias):
        return str(expected)
    return {"str": "a string", "int": "an integer", "bool": "a boolean"}.get(expected.__name__, expected.__name__)


def validate(config: Config) -> None:
    """Check the values whose type alone does not make them right."""
    host_port = config.smtp.listen.rpartition(":")
    if not host_port[0] or not host_port[2].isdigit() or not 0 <= int(host_port[2]) <= 65535:
        raise ConfigError(f"smtp.listen must be host:port, got {config.smtp.listen!r}")
    if not config.mail.address or "@" in config.mail.address or "+" in config.mail.address:
        raise ConfigError(f"mail.address must be a bare local part such as 'factures', got {config.mail.address!r}")
    for domain in config.mail.domains:
        if not domain or "@" in domain or " " in domain or "." not in domain:
            raise ConfigError(f"mail.domains: {domain!r} is not a domain name")
    for pattern in config.mail.staff:
        if "@" not in pattern:
            raise ConfigError(f"mail.staff: {pattern!r} is neither an address nor a '*@domain' pattern")
    for key in ("manager", "accountant"):
        value = getattr(config.mail, key)
        if value and "@" not in value:
            raise ConfigError(f"mail.{key}: {value!r} is not an email address")
    _validate_auth(config.auth)
    try:
        ZoneInfo(config.mail.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"mail.timezone: unknown time zone {config.mail.timezone!r}") from None
    if config.queue.broker_url and not config.queue.broker_url.startswith(("redis://", "rediss://", "amqp://", "amqps://")):
        raise ConfigError(f"queue.broker_url must be empty, redis://… or amqp://…, got {config.queue.broker_url!r}")
    if config.database_url.split(":", 1)[0].split("+", 1)[0] not in {"sqlite", "postgresql"}:
        raise ConfigError(f"storage.database_url must be sqlite:/// or postgresql://, got {config.database_url!r}")
    for key in ("max_message_size", "max_recipients", "max_connections", "timeout"):
        if getattr(config.smtp, key) <= 0:
            raise ConfigError(f"smtp.{key} must be positive")
    try:
        if Decimal(config.approvals.manager_threshold) < 0:
            raise InvalidOperation
    except InvalidOperation:
        raise ConfigError(f"approvals.manager_threshold must be an amount such as \"5000.00\", got {config.approvals.manager_threshold!r}") from None
    if not 0 <= config.queue.worker_nice <= 19:
        raise ConfigError(f"queue.worker_nice must be between 0 and 19, got {config.queue.worker_nice}")
    if config.queue.worker_threads <= 0:
        raise ConfigError("queue.worker_threads must be positive")
    if not 1 <= config.queue.embedded_workers <= 16:
        raise ConfigError(f"queue.embedded_workers must be between 1 and 16, got {config.queue.embedded_workers}")
    _validate_outbound(config.outbound)
    _validate_imap(config.imap)
    _validate_extraction(config.extraction)
    _validate_invoicing(config.invoicing)
    _validate_bills(config.bills, config.mail.manager)
    _validate_operations(config.retention, config.observability)
    _validate_accounting(config.accounting)
    _validate_reminders(config.reminders)


EXTRACTION_ENGINES = ("auto", "local", "mindee")


def _validate_extraction(extraction: Extraction) -> None:
    if extraction.engine not in EXTRACTION_ENGINES:
        raise ConfigError(f"extraction.engine must be one of {', '.join(EXTRACTION_ENGINES)}, got {extraction.engine!r}")
    if extraction.engine == "mindee" and not extraction.mindee_api_key:
        raise ConfigError("extraction.mindee_api_key is required when extraction.engine is 'mindee'")
    for key in ("job_timeout_seconds", "job_memory_mib", "recycle_after_jobs", "mindee_timeout_seconds"):
        if getattr(extraction, key) <= 0:
            raise ConfigError(f"extraction.{key} must be positive")
    if extraction.pool_size < 0:
        raise ConfigError("extraction.pool_size must be 0 (one per core) or positive")
    if not 0 <= extraction.mindee_below_confidence <= 1:
        raise ConfigError("extraction.mindee_below_confidence must be between 0 and 1")
    if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", extraction.ocr_languages):
        raise ConfigError(f"extraction.ocr_languages must look like 'fra+eng', got {extraction.ocr_languages!r}")


def _validate_operations(retention: Retention, observability: Observability) -> None:
    if retention.ignored_days <= 0:
        raise ConfigError("retention.ignored_days must be positive")
    if retention.bill_years < 10:
        # Art. L123-22 of the Code de commerce: accounting documents are kept ten years.
        raise ConfigError(f"retention.bill_years must be at least 10 (legal minimum), got {retention.bill_years}")
    if observability.log_format not in {"text", "json"}:
        raise ConfigError(f"observability.log_format must be 'text' or 'json', got {observability.log_format!r}")
    if observability.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"observability.log_level must be DEBUG, INFO, WARNING or ERROR, got {observability.log_level!r}")
    if observability.metrics_listen:
        host, _, port = observability.metrics_listen.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ConfigError(f"observability.metrics_listen must be host:port, got {observability.metrics_listen!r}")


def _validate_invoicing(invoicing: Invoicing) -> None:
    for key in ("invoice_pattern", "credit_note_pattern", "deposit_pattern"):
        pattern = getattr(invoicing, key)
        try:
            sample = pattern.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError):
            raise ConfigError(f"invoicing.{key} may only use {{year}} and {{seq}}, got {pattern!r}") from None
        if "{seq" not in pattern or not sample.strip():
            raise ConfigError(f"invoicing.{key} must contain {{seq}} (e.g. FA{{year}}-{{seq:04d}}), got {pattern!r}")
    patterns = {invoicing.invoice_pattern, invoicing.credit_note_pattern, invoicing.deposit_pattern}
    if len(patterns) != 3:
        raise ConfigError("invoicing: invoices, credit notes and deposits need three different number patterns")
    if invoicing.language not in {"fr", "en"}:
        raise ConfigError(f"invoicing.language must be 'fr' or 'en', got {invoicing.language!r}")
    if invoicing.logo and not Path(invoicing.logo).is_file():
        raise ConfigError(f"invoicing.logo: no such file {invoicing.logo!r}")
    if invoicing.legal_texts and not Path(invoicing.legal_texts).is_file():
        raise ConfigError(f"invoicing.legal_texts: no such file {invoicing.legal_texts!r}")
    # Imported here: the invoicing rules are not needed to read the rest of the configuration.
    from invoicing.legal_texts import LegalTextsError, load_legal_texts
    from invoicing.payment_terms import PaymentTermsError, parse_terms

    try:
        parse_terms(invoicing.payment_terms)
    except PaymentTermsError as error:
        raise ConfigError(f"invoicing.payment_terms: {error}") from None
    try:
        load_legal_texts(invoicing.legal_texts or None)
    except LegalTextsError as error:
        raise ConfigError(f"invoicing.legal_texts: {error}") from None


DUPLICATE_POLICIES = ("review", "automatic")


def _validate_bills(bills: Bills, manager: str) -> None:
    for siren in bills.trusted_suppliers:
        if not re.fullmatch(r"\d{9}", siren):
            raise ConfigError(f"bills.trusted_suppliers: {siren!r} is not a SIREN (9 digits)")
    if bills.auto_validate_after < 0:
        raise ConfigError("bills.auto_validate_after must be 0 (never) or positive")
    if bills.duplicate_policy not in DUPLICATE_POLICIES:
        raise ConfigError(f"bills.duplicate_policy must be 'review' or 'automatic', got {bills.duplicate_policy!r}")
    for siren, policy in bills.duplicate_policies.items():
        if not re.fullmatch(r"\d{9}", str(siren)) or policy not in DUPLICATE_POLICIES:
            raise ConfigError(f"bills.duplicate_policies: {siren!r} = {policy!r} must map a SIREN "
                              "to 'review' or 'automatic'")
    for pattern in bills.supplier_senders:
        if "@" not in pattern:
            raise ConfigError(f"bills.supplier_senders: {pattern!r} is neither an address nor a '*@domain' pattern")
    if bills.notify and "@" not in bills.notify:
        raise ConfigError(f"bills.notify: {bills.notify!r} is not an email address")
    if bills.supplier_senders and not (bills.notify or manager):
        raise ConfigError("bills.notify (or mail.manager) must name who reads the bills "
                          "that bills.supplier_senders send")
    try:
        if Decimal(bills.unusual_amount_factor) <= 1:
            raise InvalidOperation
    except InvalidOperation:
        raise ConfigError(f"bills.unusual_amount_factor must be a number above 1 such as \"3\", "
                          f"got {bills.unusual_amount_factor!r}") from None


RELAY_SECURITY = ("starttls", "ssl", "none")
# RFC 2177: a server may log out a client idle for 30 minutes, so IDLE is renewed before that.
MAX_IDLE_SECONDS = 29 * 60
IMAP_SECURITY = ("ssl", "starttls", "none")
DNS_LABELS = re.compile(r"(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def _validate_outbound(outbound: Outbound) -> None:
    if outbound.transport not in {"maildir", "smtp"}:
        raise ConfigError(f"outbound.transport must be 'maildir' or 'smtp', got {outbound.transport!r}")
    if outbound.max_attempts <= 0:
        raise ConfigError("outbound.max_attempts must be positive")
    if outbound.retry_base_seconds < 0 or outbound.retry_max_seconds < outbound.retry_base_seconds:
        raise ConfigError("outbound.retry_base_seconds must be ≥ 0 and ≤ outbound.retry_max_seconds")
    if outbound.from_address and outbound.from_address.count("@") != 1:
        raise ConfigError(f"outbound.from_address: {outbound.from_address!r} is not an email address")
    if outbound.transport == "smtp" and not outbound.relay_host:
        raise ConfigError("outbound.relay_host must be set when outbound.transport is 'smtp'")
    if not 0 < outbound.relay_port <= 65535:
        raise ConfigError(f"outbound.relay_port must be a port number, got {outbound.relay_port}")
    if outbound.relay_security not in RELAY_SECURITY:
        raise ConfigError(f"outbound.relay_security must be one of {', '.join(RELAY_SECURITY)}, got {outbound.relay_security!r}")
    if outbound.relay_timeout <= 0:
        raise ConfigError("outbound.relay_timeout must be positive")
    if bool(outbound.relay_username) != bool(outbound.relay_password):
        raise ConfigError("outbound.relay_username and outbound.relay_password must be set together")
    # A password sent without TLS can be read by anyone on the path: refuse rather than warn.
    if outbound.relay_username and outbound.relay_security == "none":
        raise ConfigError("outbound.relay_security: 'none' would send outbound.relay_password in clear; use starttls or ssl")
    if outbound.relay_ca_file and not Path(outbound.relay_ca_file).is_file():
        raise ConfigError(f"outbound.relay_ca_file: no such file {outbound.relay_ca_file!r}")
    _validate_dkim(outbound)


def _validate_dkim(outbound: Outbound) -> None:
    if not outbound.dkim_private_key:
        return
    if not DNS_LABELS.fullmatch(outbound.dkim_selector):
        raise ConfigError(f"outbound.dkim_selector: {outbound.dkim_selector!r} is not a DNS label")
    if outbound.dkim_domain and ("." not in outbound.dkim_domain or not DNS_LABELS.fullmatch(outbound.dkim_domain)):
        raise ConfigError(f"outbound.dkim_domain: {outbound.dkim_domain!r} is not a domain name")
    # Imported here: signing needs dkimpy, which the rest of the configuration does not.
    from gateway.outbound_identity import DkimKeyError, read_private_key

    try:
        read_private_key(outbound.dkim_private_key)
    except DkimKeyError as error:
        raise ConfigError(f"outbound.dkim_private_key: {error}") from None


def _validate_imap(imap: Imap) -> None:
    """The [imap] values are checked even while disabled, so that enabling it later cannot fail."""
    if imap.security not in IMAP_SECURITY:
        raise ConfigError(f"imap.security must be one of {', '.join(IMAP_SECURITY)}, got {imap.security!r}")
    if not 1 <= imap.port <= 65535:
        raise ConfigError(f"imap.port must be between 1 and 65535, got {imap.port}")
    if not imap.folder:
        raise ConfigError("imap.folder must name a folder, such as 'INBOX'")
    if imap.move_to == imap.folder:
        raise ConfigError(f"imap.move_to must differ from imap.folder ({imap.folder!r}), or be empty")
    if not 1 <= imap.idle_seconds <= MAX_IDLE_SECONDS:
        raise ConfigError(f"imap.idle_seconds must be between 1 and {MAX_IDLE_SECONDS}, got {imap.idle_seconds}")
    if imap.poll_seconds <= 0:
        raise ConfigError("imap.poll_seconds must be positive")
    for recipient in imap.recipients:
        if "@" not in recipient:
            raise ConfigError(f"imap.recipients: {recipient!r} is not an email address")
    if imap.enabled:
        for key in ("host", "username", "password"):
            if not getattr(imap, key):
                raise ConfigError(f"imap.{key} is required when imap.enabled is true")


def _validate_auth(auth: Auth) -> None:
    for key in ("trusted_networks", "upstream_networks"):
        for network in getattr(auth, key):
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ConfigError(f"auth.{key}: {network!r} is not a network (CIDR)") from None
    for server in auth.nameservers:
        try:
            ipaddress.ip_address(server)
        except ValueError:
            raise ConfigError(f"auth.nameservers: {server!r} is not an IP address") from None
    # An authserv-id is one token, usually the server's host name (RFC 8601 2.5).
    if auth.upstream_authserv_id and not re.fullmatch(r"[A-Za-z0-9._-]+", auth.upstream_authserv_id):
        raise ConfigError(f"auth.upstream_authserv_id must be a host name such as 'mx.entreprise.fr', "
                          f"got {auth.upstream_authserv_id!r}")
    if not 1 <= auth.dns_timeout <= 60:
        raise ConfigError(f"auth.dns_timeout must be between 1 and 60 seconds, got {auth.dns_timeout}")


def _validate_accounting(accounting: Accounting) -> None:
    # Imported here: the accounting rules are not needed to read the rest of the configuration.
    from accounting.settings import AccountingSettingsError, check_accounting_settings

    try:
        check_accounting_settings(accounting)
    except AccountingSettingsError as error:
        raise ConfigError(str(error)) from None


REMINDER_TONES = ("courtesy", "first", "firm", "final")


def _validate_reminders(reminders: Reminders) -> None:
    _validate_ladder("reminders.steps", reminders.steps)
    for client, ladder in reminders.clients.items():
        if not isinstance(ladder, list):
            raise ConfigError(f"reminders.clients: {client!r} must map to a list of steps (or [] for none)")
        _validate_ladder(f"reminders.clients.{client}", ladder)
    for key in ("send_from", "send_until"):
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", getattr(reminders, key)):
            raise ConfigError(f"reminders.{key} must be a time such as \"09:00\", got {getattr(reminders, key)!r}")
    if reminders.send_from >= reminders.send_until:
        raise ConfigError("reminders.send_from must be before reminders.send_until")
    if reminders.holidays_subdivision and reminders.holidays_subdivision not in SUBDIVISIONS:
        raise ConfigError(f"reminders.holidays_subdivision must be empty or one of {', '.join(SUBDIVISIONS)}, "
                          f"got {reminders.holidays_subdivision!r}")
    if reminders.pause_days < 1:
        raise ConfigError("reminders.pause_days must be at least 1")
    if reminders.tick_seconds < 0:
        raise ConfigError("reminders.tick_seconds must be 0 (never) or positive")
    if reminders.contract_rate:
        try:
            if not 0 < Decimal(reminders.contract_rate) < 100:
                raise InvalidOperation
        except InvalidOperation:
            raise ConfigError(f"reminders.contract_rate must be a yearly rate in percent such as \"12\", "
                              f"got {reminders.contract_rate!r}") from None


def _validate_ladder(key: str, steps: list) -> None:
    seen = set()
    for step in steps:
        if not isinstance(step, dict) or not isinstance(step.get("days"), int) or isinstance(step.get("days"), bool) \
                or step.get("tone") not in REMINDER_TONES or set(step) - {"days", "tone"}:
            raise ConfigError(f"{key}: each step is {{days = N, tone = \"courtesy|first|firm|final\"}}, got {step!r}")
        if step["days"] in seen or not -60 <= step["days"] <= 365:
            raise ConfigError(f"{key}: days {step['days']} repeated or outside -60..365")
        seen.add(step["days"])
