"""Leads as records: the lead list and status changes with their history."""
