"""Email-native invoice gateway: every mail kept, routed and answered through an outbox."""

__version__ = "0.1.0"
