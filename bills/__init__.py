"""Supplier bills received by mail: their rows, checks, duplicates, suppliers and booking."""
