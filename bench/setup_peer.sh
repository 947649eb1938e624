#!/usr/bin/env bash
# Creates bench/.venv-peer with BERTopic (bench/requirements.txt) for the benchmark's peer comparison.
# Idempotent: does nothing when the venv already imports bertopic.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-peer"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import bertopic" 2>/dev/null; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" -c "import bertopic, pandas, torch; print('bertopic', bertopic.__version__, 'pandas', pandas.__version__, 'torch', torch.__version__)"
