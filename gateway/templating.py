"""Renders the outgoing emails from `templates/emails/<noun>_<event>.txt` and `.html`."""

from dataclasses import dataclass
from decimal import Decimal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from gateway.resources import resource_dir


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


NARROW_NO_BREAK_SPACE, NO_BREAK_SPACE = "\u202f", "\u00a0"


def euros(amount: Decimal) -> str:
    """1234.5 → « 1 234,50 € »: French grouping with a narrow no-break space, comma for decimals."""
    text = f"{Decimal(amount).quantize(Decimal('0.01')):,.2f}"
    grouped = text.replace(",", NARROW_NO_BREAK_SPACE).replace(".", ",")
    return grouped + NO_BREAK_SPACE + "€"


class EmailTemplates:
    """A French-first template set; `<name>.en.txt` holds the English version when present."""

    def __init__(self, language: str = "fr"):
        self.language = language
        self.environment = Environment(
            loader=FileSystemLoader(str(resource_dir("templates") / "emails")),
            undefined=StrictUndefined,
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.filters["euros"] = euros

    def render(self, name: str, **values) -> RenderedEmail:
        text_template = self.environment.get_template(self._file(name, "txt"))
        context = text_template.new_context(values)
        subject = "".join(text_template.blocks["subject"](context)).strip()
        text = "".join(text_template.blocks["body"](text_template.new_context(values))).strip() + "\n"
        html = self.environment.get_template(self._file(name, "html")).render(**values)
        return RenderedEmail(subject=" ".join(subject.split()), text=text, html=html)

    def _file(self, name: str, extension: str) -> str:
        if self.language != "fr":
            localized = f"{name}.{self.language}.{extension}"
            if localized in self.environment.list_templates():
                return localized
        return f"{name}.{extension}"
