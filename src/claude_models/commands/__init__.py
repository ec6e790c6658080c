"""One module per subcommand; each has ``register(sub, common)`` and sets ``run``."""
