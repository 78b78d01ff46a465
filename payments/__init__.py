"""Payments received: bank statements read and their lines matched to open client invoices."""
