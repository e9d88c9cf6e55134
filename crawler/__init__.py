"""Crawler and normalizer for Vietnamese provincial ICT department portals."""

__version__ = "0.1.0"
