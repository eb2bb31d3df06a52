"""Teleprospect: a lead-qualification workstation for teleprospecting desks."""

__version__ = "0.1.0"
APP_NAME = "Teleprospect"
