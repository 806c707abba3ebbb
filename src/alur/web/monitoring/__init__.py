"""Monitoring of SOPs (semester form)."""
