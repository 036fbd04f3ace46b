"""A run's possible statuses (tb/harness.py Result.status), and which of them are failures."""

STATUSES = ("pass", "fail", "error", "timeout")
FAILED = STATUSES[1:]
