"""Random values of French bills as people print them: companies with valid identifiers, numbers, dates, amounts."""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from stdnum import luhn
from stdnum.fr import siren as siren_number

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
CITIES = ["Lyon", "Paris", "Nantes", "Lille", "Bordeaux", "Toulouse", "Rennes", "Grenoble", "Dijon", "Metz"]
STREETS = ["rue de la République", "avenue Jean Jaurès", "boulevard Voltaire", "place du Marché", "quai Saint-Vincent",
           "impasse des Lilas", "chemin des Vignes", "rue Victor Hugo", "allée des Tilleuls"]
WORDS = ["Atelier", "Horizon", "Martin", "Bernard", "Lumière", "Cap", "Alpha", "Boréal", "Vertigo", "Pixel", "Garnier",
         "Océane", "Durand", "Moulin", "Les Délices", "Rivage", "Artisans", "Dubois", "Nova", "Terre"]
TRADES = ["Conseil", "Plomberie", "Informatique", "Télécom", "Énergie", "Menuiserie", "Boulangerie", "Studio",
          "Transports", "Distribution", "Services", "Rénovation", "Hébergement", "Logiciels", "Électricité"]
FORMS = ["SAS", "SARL", "SA", "EURL", "SASU", "SNC"]


@dataclass
class Company:
    name: str
    form: str
    siren: str
    siret: str
    vat: str
    iban: str
    bic: str
    street: str
    postcode: str
    city: str
    capital: str


def company(rng: random.Random, person: bool = False) -> Company:
    base = str(rng.randint(10_000_000, 99_999_999))
    siren = base + luhn.calc_check_digit(base)
    nic = f"{rng.randint(1, 999):04d}"
    siret = siren + nic + luhn.calc_check_digit(siren + nic)
    vat = "FR" + siren_number.to_tva(siren)
    bank = rng.choice(["30006", "30004", "10278", "20041", "17515", "30003"])
    iban = IBAN.generate("FR", bank_code=bank, account_code=f"{rng.randint(0, 10**10):011d}").compact
    form = "" if person else rng.choice(FORMS)
    if person:
        name = f"{rng.choice(['Marie', 'Julien', 'Sophie', 'Karim', 'Léa', 'Thomas'])} {rng.choice(WORDS[2:])}"
    else:
        name = f"{rng.choice(TRADES)} {rng.choice(WORDS)}"
        name = rng.choice([f"{name} {form}", f"{name.upper()} {form}", name])
    return Company(name, form, siren, siret, vat, iban, rng.choice(["AGRIFRPP", "BNPAFRPP", "CEPAFRPP", "SOGEFRPP"]),
                   f"{rng.randint(1, 120)} {rng.choice(STREETS)}", f"{rng.randint(10, 95)}{rng.randint(0, 999):03d}",
                   rng.choice(CITIES), f"{rng.choice([1000, 5000, 10000, 37000, 150000, 1200000]):,}".replace(",", " "))


def grouped_siren(value: str, rng: random.Random) -> str:
    return rng.choice([value, f"{value[:3]} {value[3:6]} {value[6:]}"])


def grouped_siret(value: str, rng: random.Random) -> str:
    return rng.choice([value, f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"])


def grouped_vat(value: str, rng: random.Random) -> str:
    return rng.choice([value, f"{value[:2]} {value[2:4]} {value[4:7]} {value[7:10]} {value[10:]}",
                       f"{value[:4]} {value[4:]}"])


def grouped_iban(value: str, rng: random.Random) -> str:
    return rng.choice([value, " ".join(value[i:i + 4] for i in range(0, len(value), 4))])


def bill_number(rng: random.Random, day: date) -> str:
    n = rng.randint(1, 9999)
    patterns = ["FA-{y}-{n:04d}", "FA {y} {n:03d}", "{y}/{m:02d}/{n:04d}", "F{y}-{n:03d}", "{y}-{n:03d}",
                "FAC{y}{n:05d}", "{big:08d}", "FR{big:08d}", "{y}{m:02d}-{n:04d}", "N{n:06d}"]
    return rng.choice(patterns).format(y=day.year, m=day.month, n=n, big=rng.randint(10**6, 10**8 - 1))


def written_date(day: date, rng: random.Random) -> str:
    first = "1er" if day.day == 1 else str(day.day)
    return rng.choice([f"{day:%d/%m/%Y}", f"{day:%d/%m/%y}", day.isoformat(), f"{first} {MONTHS[day.month - 1]} {day.year}",
                       f"{day:%d.%m.%Y}", f"{day:%d/%m/%Y}"])


def money_style(rng: random.Random) -> str:
    return rng.choice(["space €", "nbsp €", "dot €", "plain EUR", "€ first", "narrow €", "bare"])


def money(value: Decimal, style: str) -> str:
    """One amount in the bill's own style (a bill keeps one style throughout)."""
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = f"{int(whole):,}"
    text = {
        "space €": f"{groups.replace(',', ' ')},{cents} €",
        "nbsp €": f"{groups.replace(',', chr(0xa0))},{cents}\u00a0€",
        "narrow €": f"{groups.replace(',', chr(0x202f))},{cents}\u00a0€",
        "dot €": f"{groups.replace(',', '.')},{cents} €",
        "plain EUR": f"{whole},{cents} EUR",
        "€ first": f"€ {groups.replace(',', ' ')},{cents}",
        "bare": f"{groups.replace(',', ' ')},{cents}",
    }[style]
    return sign + text


def rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f}".replace(".", ",")
