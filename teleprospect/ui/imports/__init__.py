"""Importing files: the lead import wizard and drag-and-drop."""
