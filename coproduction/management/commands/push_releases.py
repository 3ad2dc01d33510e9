from coproduction.connectors.push_command import Command  # noqa: F401
