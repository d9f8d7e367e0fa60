"""The `redsteward` command."""
