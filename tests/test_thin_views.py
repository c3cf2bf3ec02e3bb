"""Views stay thin: no function in views/ runs over 15 lines, unless EXCEPTIONS says why.

A view parses the request, calls one domain function and renders (see
docs/architecture.md); what decides lives in ``roundtable/``. A function's
length is counted from its first statement after the docstring to its last
line; a nested function is measured on its own too. An exception whose
function is gone or back within the limit fails as well, so the list stays true.
"""

import ast
import pathlib

LIMIT = 15
VIEWS = pathlib.Path(__file__).resolve().parent.parent / "views"

# "views/file.py:function": why it may run longer.
EXCEPTIONS = {}


def length(function):
    """Lines from the first statement after the docstring to the function's last line."""
    body = function.body
    if (
        len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    return function.end_lineno - body[0].lineno + 1


def lengths(source):
    """{function name: length} of every function in ``source``, nested ones included (the longest of a name)."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[node.name] = max(length(node), found.get(node.name, 0))
    return found


def view_lengths():
    """{"views/file.py:function": length} over every module of views/, packages included."""
    return {
        f"views/{path.relative_to(VIEWS).as_posix()}:{name}": size
        for path in sorted(VIEWS.rglob("*.py"))
        for name, size in lengths(path.read_text(encoding="utf-8")).items()
    }


def too_long(measured, exceptions):
    """{function: length} of the functions over the limit that ``exceptions`` does not excuse."""
    return {name: size for name, size in measured.items() if size > LIMIT and name not in exceptions}


def stale(measured, exceptions):
    """The ``exceptions`` no longer needed (the function gone or within the limit), or given no reason."""
    return sorted(name for name, reason in exceptions.items() if measured.get(name, 0) <= LIMIT or not reason.strip())


def test_no_view_function_runs_over_the_limit_without_a_reason():
    found = too_long(view_lengths(), EXCEPTIONS)
    assert not found, f"over {LIMIT} lines: split them, or say why in EXCEPTIONS: {found}"


def test_every_exception_is_still_needed_and_has_a_reason():
    found = stale(view_lengths(), EXCEPTIONS)
    assert not found, f"gone, within {LIMIT} lines now, or without a reason: remove from EXCEPTIONS: {found}"


def test_the_checks_catch_an_unexcused_function_and_a_stale_or_bare_exception():
    measured = {"views/a.py:long": LIMIT + 1, "views/a.py:excused": LIMIT + 5, "views/a.py:short": LIMIT}
    exceptions = {"views/a.py:excused": "wiring", "views/a.py:short": "was long", "views/a.py:gone": "was long"}
    assert too_long(measured, exceptions) == {"views/a.py:long": LIMIT + 1}
    assert stale(measured, exceptions) == ["views/a.py:gone", "views/a.py:short"]
    assert stale({"views/a.py:excused": LIMIT + 5}, {"views/a.py:excused": " "}) == ["views/a.py:excused"]


def test_the_measure_skips_the_docstring_and_counts_nested_functions_on_their_own():
    source = '''
def short():
    """A docstring is not counted."""
    return 1


def only_a_docstring():
    """A docstring alone is the body."""


def outer():
    x = 1

    def inner():
        a = 1
        b = 2
        return a + b
    return inner
'''
    assert lengths(source) == {"short": 1, "only_a_docstring": 1, "outer": 7, "inner": 3}


def test_the_measure_finds_a_long_function():
    body = "\n".join(f"    x{n} = {n}" for n in range(LIMIT + 1))
    assert lengths(f'def long():\n    """Doc."""\n{body}\n') == {"long": LIMIT + 1}
