"""Nurture tracks and enrolments."""
