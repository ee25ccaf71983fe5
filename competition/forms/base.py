"""The base of every page form: WTForms' own validation, then the text policy of rules/text.py (issue 14)."""
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, PasswordField, StringField, TextAreaField

from ..rules.text import text_problem


class AppForm(FlaskForm):
    """A page form: no text field may hold control characters or direction overrides (line breaks only in a
    text area); a password is taken as typed."""

    def validate(self, extra_validators=None) -> bool:
        """Field validation, then the text policy on every text field, nested rows included."""
        valid = super().validate(extra_validators)
        return _text_policy(self) and valid


def _text_policy(form) -> bool:
    """Check every text field of a form (and of its FormField and FieldList rows); False when one fails."""
    valid = True
    for field in form:
        if isinstance(field, FieldList):
            rows = [entry.form if isinstance(entry, FormField) else entry for entry in field.entries]
            valid = all([_text_policy(row) if not isinstance(row, StringField) else _field_ok(row)
                         for row in rows]) and valid
        elif isinstance(field, FormField):
            valid = _text_policy(field.form) and valid
        elif isinstance(field, StringField) and not isinstance(field, PasswordField):
            valid = _field_ok(field) and valid
    return valid


def _field_ok(field) -> bool:
    """One text field against the policy; the reason goes under the field."""
    why = text_problem(field.data if isinstance(field.data, str) else None,
                       multiline=isinstance(field, TextAreaField))
    if why is None:
        return True
    field.errors = [*field.errors, why]
    return False
