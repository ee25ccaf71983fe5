"""Background jobs' page forms: nothing but the CSRF token (the route and its query string say what to do)."""
from .base import AppForm


class JobForm(AppForm):
    """Start a large export in the background, or retry a failed job."""
