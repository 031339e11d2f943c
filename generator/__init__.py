"""Gleanery: turn folders of pasted web-page text dumps into a static reading archive."""

__version__ = "0.1.0"
