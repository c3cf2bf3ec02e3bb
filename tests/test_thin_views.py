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

BEING_THINNED = "TODO(#21): being thinned"

# "views/file.py:function": why it may run longer.
EXCEPTIONS = {
    "views/meetings.py:_minutes": BEING_THINNED,
    "views/meetings.py:live_view": BEING_THINNED,
    "views/meetings.py:meeting_new": BEING_THINNED,
    "views/meetings.py:proposal_new": BEING_THINNED,
    "views/vote.py:_page": BEING_THINNED,
    "views/vote.py:cast": BEING_THINNED,
    "views/vote.py:meeting": BEING_THINNED,
}


def length(function):
    """Lines from the first statement after the docstring to the function's last line."""
    body = function.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
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
    """{"views/file.py:function": length} over every module of views/."""
    return {f"views/{path.name}:{name}": size for path in sorted(VIEWS.glob("*.py"))
            for name, size in lengths(path.read_text(encoding="utf-8")).items()}


def test_no_view_function_runs_over_the_limit_without_a_reason():
    too_long = {name: size for name, size in view_lengths().items() if size > LIMIT and name not in EXCEPTIONS}
    assert not too_long, f"over {LIMIT} lines: split them, or say why in EXCEPTIONS: {too_long}"


def test_every_exception_is_still_needed_and_has_a_reason():
    measured = view_lengths()
    stale = {name for name in EXCEPTIONS if measured.get(name, 0) <= LIMIT}
    assert not stale, f"gone or within {LIMIT} lines now: remove from EXCEPTIONS: {sorted(stale)}"
    assert all(reason.strip() for reason in EXCEPTIONS.values())


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
