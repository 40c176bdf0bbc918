"""The review workspace: `zwgk serve`, a Flask app over the store served by waitress.

Orchestration layer: it imports zwgk core, checks (the waiver path) and reports (evidence,
task workbooks, shared templates); nothing imports it but the CLI.
"""
