"""Reading supplier bills: structured e-invoices first, then PDF text, then OCR; independent of mail."""
