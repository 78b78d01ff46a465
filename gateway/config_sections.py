"""The configuration's sections and their defaults, as typed, frozen dataclasses."""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Company:
    name: str = ""
    legal_form: str = ""
    # Share capital as printed ("10 000 €"); empty for a form without capital.
    capital: str = ""
    siren: str = ""
    siret: str = ""
    vat_number: str = ""
    # Registration: "RCS Paris" (traders) or "RM 75" (craftsmen), printed with the SIREN.
    registration: str = ""
    # An entrepreneur individuel must print "EI" beside the name.
    entrepreneur_individuel: bool = False
    iban: str = ""
    bic: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"
    email: str = ""
    phone: str = ""
    # VAT franchise (art. 293 B): no VAT charged, the legal wording printed instead.
    vat_franchise: bool = False
    # VAT on services due on invoicing rather than on payment ("option pour le paiement de la
    # taxe d'après les débits"), printed when chosen.
    vat_on_debits: bool = False
    example: bool = False


@dataclass(frozen=True)
class Mail:
    domains: list[str] = field(default_factory=list)
    address: str = "factures"
    staff: list[str] = field(default_factory=list)
    manager: str = ""
    accountant: str = ""
    language: str = "fr"
    timezone: str = "Europe/Paris"


@dataclass(frozen=True)
class Smtp:
    listen: str = "127.0.0.1:2525"
    hostname: str = ""
    max_message_size: int = 25 * 1024 * 1024
    max_recipients: int = 50
    max_connections: int = 100
    timeout: int = 60


@dataclass(frozen=True)
class Storage:
    var_dir: str = "var"
    database_url: str = ""
    busy_timeout_ms: int = 5000


@dataclass(frozen=True)
class Queue:
    broker_url: str = ""
    worker_threads: int = 2
    # Worker processes beside `serve` on the embedded queue (with a broker, start `worker`s instead).
    # On 2 cores a second one gained nothing (the reading children already use the second core).
    embedded_workers: int = 1
    rescan_seconds: int = 30
    # The worker beside `serve` runs at this lower CPU priority (nice), so that a burst of mail
    # is stored at full speed and processed just after; a standalone `worker` keeps its own.
    worker_nice: int = 10


@dataclass(frozen=True)
class Outbound:
    transport: str = "maildir"
    maildir: str = ""
    from_name: str = "Passerelle factures"
    from_address: str = ""
    # Attempts before an outgoing message ends failed; the wait doubles from retry_base_seconds
    # up to retry_max_seconds between them (by default about four hours of trying in all).
    max_attempts: int = 10
    retry_base_seconds: int = 60
    retry_max_seconds: int = 3600
    relay_host: str = ""
    relay_port: int = 587
    relay_security: str = "starttls"
    relay_username: str = ""
    # Kept out of the repr, so that a logged or printed configuration never shows it.
    relay_password: str = field(default="", repr=False)
    relay_timeout: int = 30
    relay_tls_verify: bool = True
    relay_ca_file: str = ""
    dkim_selector: str = "gateway"
    dkim_private_key: str = ""
    dkim_domain: str = ""


@dataclass(frozen=True)
class Auth:
    trusted_networks: list[str] = field(default_factory=list)
    # The authserv-id of the one server whose Authentication-Results we believe; empty: none.
    upstream_authserv_id: str = ""
    # SMTP clients that are that server: its results count only on mail it handed us itself.
    upstream_networks: list[str] = field(default_factory=list)
    # DNS for DKIM, SPF and DMARC: seconds per look-up, and servers (empty: the system's).
    dns_timeout: int = 5
    nameservers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Approvals:
    # Objects (bills, invoices) whose total including tax is above this amount in euros need the
    # manager's OK after the staff's; "0" means never.
    manager_threshold: str = "5000.00"


@dataclass(frozen=True)
class Parsing:
    max_parts: int = 200
    max_depth: int = 8
    max_attachment_size: int = 20 * 1024 * 1024


@dataclass(frozen=True)
class Imap:
    enabled: bool = False
    host: str = ""
    port: int = 993
    security: str = "ssl"
    username: str = ""
    password: str = ""
    folder: str = "INBOX"
    move_to: str = ""
    idle_seconds: int = 120
    poll_seconds: int = 60
    recipients: list[str] = field(default_factory=list)




@dataclass(frozen=True)
class Extraction:
    # "auto": local engines, then Mindee when local confidence is low and a key is set;
    # "local": never Mindee; "mindee": Mindee first (needs the key).
    engine: str = "auto"
    ocr_languages: str = "fra+eng"
    # Child processes that read PDFs and run OCR; 0 means one per core.
    pool_size: int = 0
    job_timeout_seconds: int = 30
    job_memory_mib: int = 1024
    recycle_after_jobs: int = 200
    mindee_api_key: str = field(default="", repr=False)
    # Empty means Mindee's public API; tests point it at a local stand-in.
    mindee_base_url: str = ""
    mindee_timeout_seconds: int = 60
    # Mindee is asked when a key field's local confidence is below this.
    mindee_below_confidence: float = 0.7


@dataclass(frozen=True)
class Invoicing:
    # Number patterns per series: {year} and {seq} (Python format), e.g. FA{year}-{seq:04d}.
    invoice_pattern: str = "FA{year}-{seq:04d}"
    credit_note_pattern: str = "AV{year}-{seq:04d}"
    deposit_pattern: str = "AC{year}-{seq:04d}"
    language: str = "fr"
    # Default payment terms when an order names none (see docs/invoicing.md for the phrases).
    payment_terms: str = "30 jours"
    early_payment_discount: str = "Pas d'escompte pour paiement anticipé."
    # The company's own late-payment penalty wording (B2B); empty: the legal default of
    # config/legal_texts.toml (ECB refinancing rate + 10 points). Not below 3× the legal rate.
    late_penalty: str = ""
    # Empty means the shipped config/legal_texts.toml (dated legal wording).
    legal_texts: str = ""
    # Path to a PNG/JPEG/SVG logo printed on invoices; empty: none.
    logo: str = ""
    # Where issued PDFs are written; empty means <var_dir>/invoices.
    pdf_dir: str = ""


@dataclass(frozen=True)
class Bills:
    # Supplier SIRENs whose bills are validated without a question when nothing is flagged.
    trusted_suppliers: list[str] = field(default_factory=list)
    # A supplier also becomes trusted after this many validated bills to the same IBAN without
    # any correction; 0 means never (only the configured list).
    auto_validate_after: int = 3
    # A duplicate is asked about ("review") or closed at once with a notice ("automatic").
    duplicate_policy: str = "review"
    # Per supplier SIREN: "review" or "automatic", overriding duplicate_policy.
    duplicate_policies: dict = field(default_factory=dict)
    # Supplier addresses (or "*@domain") whose own mail to the gateway is taken as a bill.
    supplier_senders: list[str] = field(default_factory=list)
    # Who gets the summary of a bill a supplier sent directly; empty means the manager.
    notify: str = ""
    # A TTC above this many times the median of the supplier's validated bills (3 at least) is flagged.
    unusual_amount_factor: str = "3"


def _default_ladder() -> list:
    return [{"days": -1, "tone": "courtesy"}, {"days": 7, "tone": "first"}, {"days": 15, "tone": "firm"},
            {"days": 30, "tone": "final"}]


@dataclass(frozen=True)
class Reminders:
    enabled: bool = True
    # The ladder: days from the due date (negative: before it) and the tone of each mail
    # (courtesy, first, firm, final); the last step also hands the client to the manager.
    steps: list = field(default_factory=_default_ladder)
    # Per client (its address, "*@domain" or SIREN): a ladder of its own, or [] for no reminders.
    clients: dict = field(default_factory=dict)
    # Reminders leave on business days (French public holidays excluded) between these hours.
    send_from: str = "09:00"
    send_until: str = "18:00"
    # Public holidays of the company's area besides the national ones: "57" (Moselle), "6AE"
    # (Alsace), "971"… (overseas); empty: national holidays only.
    holidays_subdivision: str = ""
    # A client's answer pauses the ladder this many business days (a promise: until its date).
    pause_days: int = 10
    # A thank-you mail to the client when an invoice is fully paid.
    thank_you: bool = True
    # Staff (not only the manager) may steer reminders (PAUSE, REPRENDRE, STOP, RELANCE, MISE EN DEMEURE).
    staff_commands: bool = False
    # The contract's late-payment rate in percent a year (e.g. "12"); empty: the legal default,
    # ECB rate + 10 points. Never below three times the legal interest rate.
    contract_rate: str = ""
    # Empty means the shipped config/legal_rates.toml (dated ECB and legal interest rates).
    legal_rates: str = ""
    # How often `serve` runs the tick (reminders, retention); 0: never (run `tick` from cron instead).
    tick_seconds: int = 300


@dataclass(frozen=True)
class Retention:
    # Mail that was only ignored (bounces, lists, strangers) is deleted after this many days (GDPR).
    ignored_days: int = 30
    # Received bills' original files (the raw mail that carried them) are kept this many years.
    bill_years: int = 10


@dataclass(frozen=True)
class Observability:
    # "text" for people, "json" for a log collector: one object per line, with the mail id.
    log_format: str = "text"
    log_level: str = "INFO"
    # host:port of the Prometheus metrics and health endpoint (/metrics, /health); empty: off.
    metrics_listen: str = ""


@dataclass(frozen=True)
class Accounting:
    # Journal codes (Ciel's import file holds two characters, Sage's three).
    purchase_journal: str = "HA"
    sales_journal: str = "VT"
    bank_journal: str = "BQ"
    # Collective accounts of the tiers: suppliers and clients get an auxiliary account under them.
    supplier_account: str = "401"
    client_account: str = "411"
    deductible_vat_account: str = "44566"
    # Reverse charge (autoliquidation): VAT deductible and VAT due on intra-EU purchases.
    reverse_charge_deductible_account: str = "445662"
    reverse_charge_due_account: str = "4452"
    # Charge account of a bill whose supplier and category are unknown (docs/exports.md says why 6068).
    default_charge_account: str = "6068"
    # Encoding of the FEC-format import file: "ISO-8859-15" (what most French software reads) or "UTF-8".
    fec_encoding: str = "ISO-8859-15"
    # Sales: products by nature (706 services, 707 goods), VAT collected, deposits received on orders.
    services_account: str = "706"
    goods_account: str = "707"
    collected_vat_account: str = "44571"
    deposit_account: str = "4191"
    # Bank: the account payments are received on.
    bank_account: str = "512"
    # The accountant's monthly mail: the file format of their software, the day of the month from
    # which the previous month is sent (0: never on its own, only with `accounting send`), and the
    # largest zip of documents one mail carries (more documents go in further mails).
    accountant_format: str = "fec"
    monthly_day: int = 1
    documents_zip_max_mb: int = 15


@dataclass(frozen=True)
class Config:
    company: Company = field(default_factory=Company)
    mail: Mail = field(default_factory=Mail)
    smtp: Smtp = field(default_factory=Smtp)
    storage: Storage = field(default_factory=Storage)
    queue: Queue = field(default_factory=Queue)
    outbound: Outbound = field(default_factory=Outbound)
    auth: Auth = field(default_factory=Auth)
    parsing: Parsing = field(default_factory=Parsing)
    approvals: Approvals = field(default_factory=Approvals)
    imap: Imap = field(default_factory=Imap)
    extraction: Extraction = field(default_factory=Extraction)
    invoicing: Invoicing = field(default_factory=Invoicing)
    bills: Bills = field(default_factory=Bills)
    retention: Retention = field(default_factory=Retention)
    reminders: Reminders = field(default_factory=Reminders)
    observability: Observability = field(default_factory=Observability)
    accounting: Accounting = field(default_factory=Accounting)

    @property
    def manager_threshold(self) -> Decimal:
        return Decimal(self.approvals.manager_threshold)

    @property
    def var_dir(self) -> Path:
        return Path(self.storage.var_dir)

    @property
    def database_url(self) -> str:
        return self.storage.database_url or f"sqlite:///{self.var_dir / 'gateway.db'}"

    @property
    def invoice_pdf_dir(self) -> Path:
        return Path(self.invoicing.pdf_dir) if self.invoicing.pdf_dir else self.var_dir / "invoices"

    @property
    def maildir(self) -> Path:
        return Path(self.outbound.maildir) if self.outbound.maildir else self.var_dir / "outbox"

    @property
    def gateway_addresses(self) -> list[str]:
        return [f"{self.mail.address}@{domain}" for domain in self.mail.domains]

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.mail.timezone)

    @property
    def listen_host_port(self) -> tuple[str, int]:
        host, _, port = self.smtp.listen.rpartition(":")
        return host.strip("[]"), int(port)
