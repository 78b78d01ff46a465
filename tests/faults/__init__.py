"""Fault tests: brokers, PostgreSQL, workers and the relay failing under load, on private instances."""
