"""The domain's refusal of bad input: a code the interface translates, with its values."""


class InvalidInput(ValueError):
    """Input the domain refuses; ``code`` names the rule, ``field`` the form field."""

    def __init__(self, code, field=None, **params):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params
