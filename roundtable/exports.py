"""CSV files that a spreadsheet opens as data, never as formulas.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula (OWASP, "CSV Injection"), and some run
commands from such a formula. Every CSV download Roundtable offers holds text
that a stranger typed: free-text answers, partner names, titles, proposals.
Each text cell that would start a formula (after any leading spaces, which
spreadsheets skip) is written with a ``'`` in front, which spreadsheets show
as a plain-text marker. Numbers we compute (``-0.5``) stay numbers.
"""

import csv
import io
import numbers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written first, so that spreadsheets read the file as UTF-8.
BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value):
    """``value`` as a spreadsheet may read it: text that would start a formula gets a leading ``'``."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    if text.lstrip(" \u00a0").startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, file):
        self._writer = csv.writer(file)

    def writerow(self, row):
        """Write one row."""
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        """Write several rows."""
        for row in rows:
            self.writerow(row)


def csv_writer(file):
    """A CSV writer for a download; the byte order mark is written first."""
    file.write(BYTE_ORDER_MARK)
    return SafeWriter(file)


def csv_text(rows):
    """The rows as the text of a CSV download."""
    output = io.StringIO()
    csv_writer(output).writerows(rows)
    return output.getvalue()
