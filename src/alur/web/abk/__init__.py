"""Workload analysis (ABK)."""
