"""Accounting: journal entries of bills (and later invoices and payments) and the accountant's import files."""
