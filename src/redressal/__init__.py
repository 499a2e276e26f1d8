"""Redressal: complaint handling and customer service for commercial banks."""

__version__ = "0.1.0"
