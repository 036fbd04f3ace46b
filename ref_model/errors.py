"""The one error type for bad configuration or input, across the project."""


class ConfigError(ValueError):
    """A configuration or input the tool refuses; the message names the problem."""
