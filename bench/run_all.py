"""Run every benchmark script in this folder, each in its own process (fresh database)."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = 0
for script in sorted(here.glob("*.py")):
    if script.name.startswith("_") or script.name == "run_all.py":
        continue
    failed |= subprocess.run([sys.executable, str(script)], cwd=here).returncode
sys.exit(failed)
