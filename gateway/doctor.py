"""`doctor`: checks the domains' DNS records and the gateway's settings, and says in French what to fix."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from gateway.config import Config
from gateway.db import Database
from gateway.dmarc import find_policy
from gateway.models import Mail, utcnow
from gateway.outbound_identity import check_outbound, dns_records
from gateway.resolver import DnsError

RECENT_DAYS = 30


@dataclass(frozen=True)
class Finding:
    level: str  # "ok", "warning" or "problem"
    topic: str
    message: str
    fix: str = ""


def run_doctor(config: Config, resolver, database: Database | None = None) -> list[Finding]:
    findings = check_settings(config)
    for domain in config.mail.domains:
        findings += check_receiving_domain(domain, resolver)
    findings += check_dkim_records(config, resolver)
    for domain in sorted(staff_domains(config)):
        findings += check_staff_domain(domain, config, resolver)
    if database is not None:
        findings += check_recent_authentication(database, config)
    return findings


def check_settings(config: Config) -> list[Finding]:
    findings = []
    if config.company.example:
        findings.append(Finding("problem", "entreprise", "L'identité d'entreprise est encore celle de l'exemple.",
                                "Remplacez la section [company] de votre configuration, puis mettez example = false."))
    if not config.mail.manager:
        findings.append(Finding("warning", "configuration", "Aucun responsable (mail.manager) : personne ne reçoit "
                                "les escalades ni les validations au-dessus du seuil.", "Renseignez mail.manager."))
    for problem in check_outbound(config):
        findings.append(Finding("warning", "envoi", problem))
    return findings


def check_receiving_domain(domain: str, resolver) -> list[Finding]:
    try:
        mx = resolver.records(domain, "MX")
        spf = [text for text in resolver.txt(domain) if text.lower().startswith("v=spf1")]
    except DnsError as error:
        return [Finding("warning", domain, f"Impossible d'interroger le DNS de {domain} ({error}).")]
    findings = []
    if not mx:
        findings.append(Finding("problem", domain, f"{domain} n'a pas d'enregistrement MX : le courrier adressé à la "
                                "passerelle ne peut pas arriver.", f"Publiez un MX pour {domain} (celui de votre messagerie)."))
    if not spf:
        findings.append(Finding("problem", domain, f"{domain} ne publie pas d'enregistrement SPF.",
                                f"Publiez {domain}. TXT \"v=spf1 include:<votre fournisseur> -all\"."))
    elif len(spf) > 1:
        findings.append(Finding("problem", domain, f"{domain} publie {len(spf)} enregistrements SPF : les "
                                "destinataires les ignorent tous.", "Fusionnez-les en un seul enregistrement."))
    policy = find_policy(domain, resolver)
    if not policy.found and not policy.error:
        findings.append(Finding("warning", domain, f"{domain} ne publie pas de politique DMARC.",
                                f"Publiez _dmarc.{domain}. TXT \"v=DMARC1; p=none; rua=mailto:dmarc@{domain}\", "
                                "puis passez à p=quarantine une fois les rapports propres."))
    if not findings:
        findings.append(Finding("ok", domain, f"{domain} : MX, SPF et DMARC publiés ({policy.describe()})."))
    return findings


def check_dkim_records(config: Config, resolver) -> list[Finding]:
    findings = []
    for record in (record for record in dns_records(config) if "._domainkey." in record.name):
        try:
            published = resolver.txt(record.name)
        except DnsError as error:
            findings.append(Finding("warning", "DKIM", f"Impossible de lire {record.name} ({error})."))
            continue
        if _compact(record.value) in {_compact(text) for text in published}:
            findings.append(Finding("ok", "DKIM", f"La clé DKIM publiée sous {record.name} est la bonne."))
        else:
            state = "ne correspond pas à la clé configurée" if published else "n'est pas publiée"
            findings.append(Finding("problem", "DKIM", f"La clé DKIM de {record.name} {state} : vos messages "
                                    "échoueront à DMARC.", f"Publiez : {record.zone_line()}"))
    return findings


def staff_domains(config: Config) -> set[str]:
    return {pattern.split("@", 1)[1].lower() for pattern in config.mail.staff if "@" in pattern}


def check_staff_domain(domain: str, config: Config, resolver) -> list[Finding]:
    """Staff mail is trusted only when authenticated: say which way works for this domain."""
    if config.auth.trusted_networks or config.auth.upstream_authserv_id:
        return [Finding("ok", domain, f"Le courrier de {domain} peut être authentifié par "
                        + ("vos réseaux de confiance" if config.auth.trusted_networks else "votre serveur de réception")
                        + ", en plus de DKIM.")]
    policy = find_policy(domain, resolver)
    if policy.error:
        return [Finding("warning", domain, f"Impossible de lire la politique DMARC de {domain} ({policy.error}).")]
    return [Finding("warning", domain, f"Les messages de vos salariés ({domain}) ne seront acceptés que s'ils portent "
                    "une signature DKIM alignée sur leur domaine. Microsoft 365 (courrier interne) et Google "
                    "Workspace sans clé DKIM personnalisée n'en mettent pas.",
                    "Activez DKIM pour votre domaine chez votre fournisseur ; ou faites relayer ce courrier par "
                    "votre propre serveur et déclarez son réseau dans auth.trusted_networks ; ou faites confiance "
                    "aux résultats de votre serveur de réception (auth.upstream_authserv_id et "
                    "auth.upstream_networks). Voir docs/authentication.md.")]


def check_recent_authentication(database: Database, config: Config) -> list[Finding]:
    """Staff mail refused as untrusted lately is the sign that authentication is misconfigured."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    with database.sessions() as session:
        rows = session.execute(
            select(Mail.sender, Mail.auth_detail).where(Mail.route == "untrusted", Mail.received_at >= since)
        ).all()
    domains = staff_domains(config)
    refused = [detail for sender, detail in rows if sender.rpartition("@")[2].lower() in domains]
    if not refused:
        return []
    reason, count = Counter(refused).most_common(1)[0]
    return [Finding("problem", "authentification", f"{len(refused)} message(s) de vos salariés refusés faute "
                    f"d'authentification depuis {RECENT_DAYS} jours ; raison la plus fréquente ({count} fois) : {reason}",
                    "Voir ci-dessus les moyens d'authentifier votre domaine.")]


def _compact(text: str) -> str:
    return "".join(text.split()).lower()
