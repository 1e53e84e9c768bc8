"""Test settings: the product's settings with a private data folder and Redis names per
process (pytest-xdist runs two), jobs run inline, e-mail kept in memory, and a fast password
hasher (argon2 itself is tested separately)."""

import os
import tempfile

# a data folder and Redis names of the process's own: the two pytest-xdist workers inherit the
# controller's environment, so each takes a folder inside it and its name as the prefix
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_data = os.environ.setdefault("ZHIBAN_DATA", tempfile.mkdtemp(prefix="zhiban-test-"))
if _worker:
    os.environ["ZHIBAN_DATA"] = os.path.join(_data, _worker)
    os.makedirs(os.environ["ZHIBAN_DATA"], exist_ok=True)
os.environ["ZHIBAN_REDIS_PREFIX"] = f"zhiban-test-{_worker or 'main'}"

from zhiban.settings import *  # noqa: E402,F403
from zhiban.settings import HUEY as _HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**_HUEY, "immediate": True}
ZHIBAN_WEBHOOK_TIMEOUT = 2
