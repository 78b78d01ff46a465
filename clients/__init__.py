"""The client directory: who the company invoices, built from orders and importable from a CSV file."""
