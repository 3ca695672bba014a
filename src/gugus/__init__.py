"""Gugus: continuous professional development through working groups."""
