"""WTForms classes; every label and message is translated lazily."""
