"""Demo data for trying the product: users, campaigns, leads with a past.

Sits above the services (it uses them and the store); the product's own layers never
import it. The GUI's first-start offer and the ``demo`` command are its only callers."""
