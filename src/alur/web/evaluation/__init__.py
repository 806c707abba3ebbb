"""Yearly evaluation of SOPs."""
