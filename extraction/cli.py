"""`invoice-gateway extract FILE`: a bill (or a mail's attachments) read and printed, JSON or French."""

import json
import sys
from pathlib import Path

from rich.console import Console

from extraction.engine import Extractor, Options, company_as_buyer, extract_files
from extraction.model import Bill
from extraction.pool import get_pool
from extraction.summary import french_summary
from gateway.config import Config
from gateway.parsed import MalformedMail
from gateway.parsing import parse_mail

ENGINES = ("auto", "local", "mindee")


def run_extract(config: Config, path: Path, *, no_embedded_xml: bool, engine: str, as_json: bool) -> int:
    """Print what `path` holds; the exit code is 0, 1 when nothing could be read, 2 for bad usage."""
    console = Console(stderr=True)
    if engine not in ENGINES:
        console.print(f"[red]--engine must be one of {', '.join(ENGINES)}, got {engine!r}[/red]")
        return 2
    if engine == "mindee" and not config.extraction.mindee_api_key:
        console.print("[red]--engine mindee needs extraction.mindee_api_key (GATEWAY_EXTRACTION__MINDEE_API_KEY)[/red]")
        return 2
    data = path.read_bytes()
    options = Options(use_embedded_xml=not no_embedded_xml, engine=engine)
    extractor = Extractor(config.extraction, get_pool(config.extraction), company_as_buyer(config.company))
    if path.suffix.lower() == ".eml":
        try:
            files = mail_attachments(data, config)
        except MalformedMail as error:
            console.print(f"[red]{path}: {error.reason}[/red]")
            return 1
        bills = extract_files(extractor, files, options)
        _print(bills, as_json, many=True)
        return 1 if bills and all(_unreadable(bill) for bill in bills) else 0
    bill = extractor.extract(data, path.name, options)
    _print([bill], as_json, many=False)
    return 1 if _unreadable(bill) else 0


def mail_attachments(raw: bytes, config: Config) -> list[tuple[str, bytes]]:
    """The documents a mail carries: attachments, forwarded mails' attachments, winmail.dat's."""
    parsed = parse_mail(raw, None, [], config.parsing)
    return [(attachment.filename, attachment.data) for attachment in parsed.attachments]


def _unreadable(bill: Bill) -> bool:
    return any(warning.startswith("unreadable:") for warning in bill.warnings)


def _print(bills: list[Bill], as_json: bool, many: bool) -> None:
    if as_json:
        payload = [bill.to_json() for bill in bills] if many else bills[0].to_json()
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    console = Console(highlight=False, soft_wrap=True)
    if many and not bills:
        console.print("Aucune pièce jointe dans ce courriel.")
    for bill in bills:
        console.print(french_summary(bill))
        console.print()
