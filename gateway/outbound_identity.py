"""How receivers can trust our outgoing mail: DKIM signing, the DNS records to publish, a check."""

import base64
import functools
from dataclasses import dataclass
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from dkim.crypto import parse_pem_private_key

from gateway.config import Config, Outbound

# What a receiver needs to trust the mail as we wrote it. Headers absent from a message are
# signed too (as empty): nobody can add them on the way without breaking the signature.
SIGNED_HEADERS = (
    b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"in-reply-to", b"references",
    b"mime-version", b"content-type", b"auto-submitted",
)
MIN_KEY_BITS = 1024


class DkimKeyError(Exception):
    """The DKIM private key cannot be read or is not an RSA key dkimpy can sign with."""


@dataclass(frozen=True)
class DkimKey:
    pem: bytes
    bits: int
    public_key: str

    @property
    def txt_value(self) -> str:
        return f"v=DKIM1; k=rsa; p={self.public_key}"


@dataclass(frozen=True)
class DnsRecord:
    name: str
    type: str
    value: str
    note: str

    def zone_line(self) -> str:
        """The record as a zone file line; TXT strings longer than 255 characters are split."""
        chunks = [self.value[start:start + 255] for start in range(0, len(self.value), 255)]
        return f'{self.name}. IN {self.type} ' + " ".join(f'"{chunk}"' for chunk in chunks)


@functools.lru_cache(maxsize=8)
def read_private_key(path: str) -> DkimKey:
    """Read and check the key once per process; a new key (with a new selector) needs a restart."""
    try:
        pem = Path(path).read_bytes()
    except OSError as error:
        raise DkimKeyError(f"cannot read {path}: {error.strerror or error}") from None
    # dkimpy finds the key between lines of dashes and expects LF line ends.
    pem = pem.replace(b"\r\n", b"\n")
    try:
        numbers = parse_pem_private_key(pem)
    except Exception as error:  # noqa: BLE001 - dkimpy raises several types for one bad key
        raise DkimKeyError(f"{path} is not an unencrypted RSA private key in PEM form ({type(error).__name__})") from None
    bits = numbers["modulus"].bit_length()
    # Receivers ignore signatures made with shorter keys (RFC 8301), so such a key signs nothing useful.
    if bits < MIN_KEY_BITS:
        raise DkimKeyError(f"{path} is a {bits}-bit key; DKIM needs at least {MIN_KEY_BITS} bits (2048 advised)")
    public = RSAPublicNumbers(numbers["publicExponent"], numbers["modulus"]).public_key()
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return DkimKey(pem=pem, bits=bits, public_key=base64.b64encode(der).decode())


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


def signing_domain(outbound: Outbound, from_domain: str) -> str:
    """`dkim_domain`, or else the From domain, which is what DMARC aligns with."""
    return outbound.dkim_domain.lower() or from_domain


def sign_outgoing(outbound: Outbound, data: bytes, from_address: str) -> bytes:
    """The message with a DKIM-Signature on top, or unchanged when no key is configured."""
    if not outbound.dkim_private_key:
        return data
    key = read_private_key(outbound.dkim_private_key)
    signature = dkim.sign(
        data,
        outbound.dkim_selector.encode(),
        signing_domain(outbound, domain_of(from_address)).encode(),
        key.pem,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=list(SIGNED_HEADERS),
    )
    return signature + data


def from_domains(config: Config) -> list[str]:
    """The domains our From (and envelope sender) can carry: one per gateway domain, or the override."""
    if config.outbound.from_address:
        return [domain_of(config.outbound.from_address)]
    return [domain.lower() for domain in config.mail.domains]


def dns_records(config: Config) -> list[DnsRecord]:
    """The DKIM and SPF records to publish for the configured outbound mail, as data to print."""
    outbound = config.outbound
    records = []
    key = _readable_key(outbound)
    if key is not None:
        for domain in sorted({signing_domain(outbound, d) for d in from_domains(config)}):
            records.append(DnsRecord(f"{outbound.dkim_selector}._domainkey.{domain}", "TXT", key.txt_value,
                                     "clé publique DKIM : les destinataires vérifient la signature avec elle"))
    if outbound.transport == "smtp":
        for domain in from_domains(config):
            records.append(DnsRecord(domain, "TXT", f"v=spf1 a:{outbound.relay_host} -all",
                                     f"SPF : autorise le relais à envoyer pour {domain}. Un seul enregistrement SPF par "
                                     "domaine : s'il en existe déjà un, ajoutez-y ce mécanisme avant le « all » ; "
                                     "pour un relais de fournisseur, préférez son « include: »."))
    return records


def _readable_key(outbound: Outbound) -> DkimKey | None:
    # An unreadable key gives no record here; `check_outbound` says what is wrong with it.
    if not outbound.dkim_private_key:
        return None
    try:
        return read_private_key(outbound.dkim_private_key)
    except DkimKeyError:
        return None


def check_outbound(config: Config) -> list[str]:
    """What is wrong or risky in the outbound settings, in French; empty means fine."""
    return _check_transport(config.outbound, config.maildir) + _check_identity(config)


def _check_transport(outbound: Outbound, maildir: Path) -> list[str]:
    if outbound.transport == "maildir":
        return [(f"Le courrier sortant est seulement déposé dans le Maildir {maildir} : rien ne part vers les "
                 "destinataires (outbound.transport = \"maildir\").")]
    problems = []
    if outbound.relay_security == "none":
        problems.append("La connexion au relais SMTP n'est pas chiffrée (outbound.relay_security = \"none\") : "
                        "factures et relances circulent en clair.")
    if outbound.relay_security != "none" and not outbound.relay_tls_verify:
        problems.append("Le certificat du relais SMTP n'est pas vérifié (outbound.relay_tls_verify = false) : "
                        "un tiers sur le réseau pourrait se faire passer pour lui.")
    if not outbound.relay_username:
        problems.append("Aucune authentification auprès du relais SMTP (outbound.relay_username vide) : cela ne "
                        "convient qu'à un relais qui reconnaît cette machine par son adresse.")
    return problems


def _check_identity(config: Config) -> list[str]:
    outbound = config.outbound
    problems = []
    ours = {domain.lower() for domain in config.mail.domains}
    if outbound.from_address and domain_of(outbound.from_address) not in ours:
        problems.append(f"L'adresse d'expédition {outbound.from_address} n'est pas dans un domaine de mail.domains : "
                        "les réponses (OK, NON, corrections) n'arriveront pas à la passerelle.")
    if not outbound.dkim_private_key:
        problems.append("Aucune clé DKIM (outbound.dkim_private_key) : le courrier sortant n'est pas signé et "
                        "risque d'être classé comme indésirable ou refusé (DMARC).")
        return problems
    try:
        key = read_private_key(outbound.dkim_private_key)
    except DkimKeyError as error:
        return [*problems, f"La clé DKIM est inutilisable : {error}."]
    if key.bits < 2048:
        problems.append(f"La clé DKIM ne fait que {key.bits} bits : utilisez une clé RSA de 2048 bits.")
    for domain in from_domains(config):
        signer = signing_domain(outbound, domain)
        if domain != signer and not domain.endswith("." + signer):
            problems.append(f"Le domaine DKIM {signer} n'est pas aligné avec le domaine d'expédition {domain} : "
                            "DMARC échouera.")
    return problems
