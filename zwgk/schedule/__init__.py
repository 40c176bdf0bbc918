"""The scheduler's parts; `scheduler.py` at the top level assembles and runs them."""
