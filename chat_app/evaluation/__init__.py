"""Measuring kzqa: test sets, metric functions and the runners behind `kzqa eval`."""
