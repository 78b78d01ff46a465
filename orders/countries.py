"""Country names as written in an address (« Allemagne », « Germany », « DE ») and their ISO 3166 codes."""

from gateway.command_text import fold

_NAMES = {
    "FR": ("france",), "MC": ("monaco",), "DE": ("allemagne", "germany", "deutschland"),
    "BE": ("belgique", "belgium", "belgie"), "LU": ("luxembourg",), "NL": ("pays-bas", "pays bas", "netherlands",
                                                                      "the netherlands", "nederland", "holland"),
    "IT": ("italie", "italy", "italia"), "ES": ("espagne", "spain", "espana"), "PT": ("portugal",),
    "AT": ("autriche", "austria", "osterreich"), "IE": ("irlande", "ireland"), "DK": ("danemark", "denmark"),
    "SE": ("suede", "sweden"), "FI": ("finlande", "finland"), "PL": ("pologne", "poland", "polska"),
    "CZ": ("republique tcheque", "tchequie", "czech republic", "czechia"), "SK": ("slovaquie", "slovakia"),
    "SI": ("slovenie", "slovenia"), "HU": ("hongrie", "hungary"), "RO": ("roumanie", "romania"),
    "BG": ("bulgarie", "bulgaria"), "GR": ("grece", "greece"), "HR": ("croatie", "croatia"),
    "CY": ("chypre", "cyprus"), "MT": ("malte", "malta"), "EE": ("estonie", "estonia"), "LV": ("lettonie", "latvia"),
    "LT": ("lituanie", "lithuania"), "CH": ("suisse", "switzerland", "schweiz", "svizzera"),
    "GB": ("royaume-uni", "royaume uni", "united kingdom", "uk", "angleterre", "england", "great britain"),
    "US": ("etats-unis", "etats unis", "usa", "united states", "united states of america"),
    "CA": ("canada",), "NO": ("norvege", "norway"), "IS": ("islande", "iceland"), "MA": ("maroc", "morocco"),
    "TN": ("tunisie", "tunisia"), "DZ": ("algerie", "algeria"), "SN": ("senegal",), "JP": ("japon", "japan"),
    "CN": ("chine", "china"), "AU": ("australie", "australia"), "AD": ("andorre", "andorra"),
    "GP": ("guadeloupe",), "MQ": ("martinique",), "GF": ("guyane",), "RE": ("la reunion", "reunion"),
    "YT": ("mayotte",),
}
COUNTRY_BY_NAME = {name: code for code, names in _NAMES.items() for name in names}
KNOWN_CODES = frozenset(_NAMES)
# VAT numbers of Greece start with EL, the country is GR; Northern Ireland's XI is the United Kingdom.
VAT_PREFIX_COUNTRY = {"EL": "GR", "XI": "GB"}


def country_code(text: str) -> str:
    """The ISO code of a country name or code; empty when the text names no country we know."""
    folded = fold(text).strip(" .,")
    if folded.upper() in KNOWN_CODES and len(folded) == 2:
        return folded.upper()
    return COUNTRY_BY_NAME.get(folded, "")


def country_of_vat_number(vat_number: str) -> str:
    prefix = vat_number[:2].upper()
    return VAT_PREFIX_COUNTRY.get(prefix, prefix)
