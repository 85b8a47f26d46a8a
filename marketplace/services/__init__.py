"""Domain logic with no Flask request in it. Views, the CLI and tests call these."""
