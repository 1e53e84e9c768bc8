"""Test settings: the product's settings with a private data folder, jobs run inline,
e-mail kept in memory, and a fast password hasher (argon2 itself is tested separately)."""

import os
import tempfile

os.environ.setdefault("ZHIBAN_DATA", tempfile.mkdtemp(prefix="zhiban-test-"))

from zhiban.settings import *  # noqa: E402,F403
from zhiban.settings import HUEY as _HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**_HUEY, "immediate": True}
ZHIBAN_WEBHOOK_TIMEOUT = 2
