"""The Settings window: every rule of the desk a team lead tunes."""
