"""The Flask extensions, created here and bound to an app with ``init_app``.

Flask-Babel is the exception: it caches catalogs on its extension object, so
each app gets one of its own (``views.i18n``) and reads its own
``BABEL_TRANSLATION_DIRECTORIES``.

The limiter keeps its counts in memory, never on disk; binding it to an app
starts them afresh (one app per process in production).
"""

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
# No default limit: only the routes that ask for one are limited, each with its own key.
# Every limit is checked (not only the first breached), so the wait told is the longest.
limiter = Limiter(key_func=lambda: "", storage_uri="memory://", strategy="moving-window", fail_on_first_breach=False)
