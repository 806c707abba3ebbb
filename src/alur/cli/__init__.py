"""The `alur` command."""
