"""The Flask extensions, created here and bound to an app with ``init_app``.

Flask-Babel is the exception: it caches catalogs on its extension object, so
each app gets one of its own (``views.i18n``) and reads its own
``BABEL_TRANSLATION_DIRECTORIES``.
"""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
