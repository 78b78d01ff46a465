"""The client directory's table: one row per client, found again by SIREN, e-mail or name."""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base, utcnow


class Client(Base):
    """A client as last known: created by the first order or an import, updated by later ones."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "siren:732829320", else "email:compta@acme.fr", else "name:acme sas": how the client is found again.
    key: Mapped[str] = mapped_column(String(1100), unique=True)
    name: Mapped[str] = mapped_column(String(998))
    siren: Mapped[str] = mapped_column(String(9), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(998), default="")
    # Address lines, one per line of text.
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(16), default="")
    city: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="FR")
    is_business: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
