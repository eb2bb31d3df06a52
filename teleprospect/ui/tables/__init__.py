"""Small read-only tables shared by several screens."""
