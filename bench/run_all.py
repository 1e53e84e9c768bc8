"""Run every benchmark script in this folder, each in its own process (fresh database)."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
# scripts whose full size takes too long here run their quick size (the figures in
# docs/performance.md come from full runs)
ARGS = {"alarms_ingest.py": ["--quick"], "service_scale.py": ["--quick"]}
failed = 0
for script in sorted(here.glob("*.py")):
    if script.name.startswith("_") or script.name == "run_all.py":
        continue
    command = [sys.executable, str(script), *ARGS.get(script.name, [])]
    failed |= subprocess.run(command, cwd=here).returncode
sys.exit(failed)
