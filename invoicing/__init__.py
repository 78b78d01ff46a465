"""Issuing client invoices: numbering, VAT and legal mentions, Factur-X PDF, tamper-evident archive."""
