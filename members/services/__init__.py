"""Writes for the members app, one module per area (invitations, couples, consent, intake)."""
