"""HTML blueprints."""


def register_blueprints(app):
    """Register the HTML blueprints."""
