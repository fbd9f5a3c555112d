"""Black-box HTTP tests: each starts the real ensemble binary (see support.py)."""
