"""Settings for the test suite, so that plain `pytest` works as well as `kam test`.

Differences from `openkam.settings`:
- a fixed, tests-only secret key when none is given (`kam` generates one for real runs;
  settings refuse to start without it);
- static files straight from the apps and packages (no collectstatic, no hashed names);
- cookies without an expiry date: the tests run on a fixed clock (conftest.py), and
  Chromium in the browser tests, on the real clock, would drop a cookie whose date
  computed on the test clock has passed.
"""

import os

os.environ.setdefault("KAM_SECRET_KEY", "tests-only-secret-key")

from openkam.settings import *  # noqa: E402,F403

# Static files straight from the apps: the suite never runs collectstatic.
STATIC_COLLECTED = False
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_AGE = None
