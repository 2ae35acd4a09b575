"""Settings for the test suite, so that plain `pytest` works as well as `kam test`.

The only difference from `openkam.settings`: a fixed, tests-only secret key when none is
given (`kam` generates one for real runs; settings refuse to start without it).
"""

import os

os.environ.setdefault("KAM_SECRET_KEY", "tests-only-secret-key")

from openkam.settings import *  # noqa: E402,F403
