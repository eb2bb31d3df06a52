"""Team-wide settings stored in the database."""
