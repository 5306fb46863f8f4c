#!/usr/bin/env bash
# ansible-test bootstraps pip in each venv it builds (sanity, units) from a script it
# downloads from a host outside the package registries. This places an offline stand-in
# in its cache: pip's own wheel (from PyPI) plus a tiny script that installs it.
# Usage: tools/ansible_test_offline.sh PYTHON
set -euo pipefail
python=${1:-python3}
# The pip version ansible-test asks for (ansible_test/_internal/python_requirements.py).
pip_version=$("$python" - <<'PY'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py"
print(re.search(r"pip='([0-9.]+)'", src.read_text()).group(1))
PY
)
cache="$HOME/.ansible/test/cache"
script="$cache/get_pip_${pip_version//./_}.py"
mkdir -p "$cache"
wheel=$(ls "$cache"/pip-"$pip_version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  "$python" -m pip download --quiet --no-deps --only-binary=:all: "pip==$pip_version" -d "$cache"
  wheel=$(ls "$cache"/pip-"$pip_version"-*.whl | head -n 1)
fi
cat > "$script.tmp" <<PY
# Offline stand-in for get-pip.py, written by community.circleci's tools/ansible_test_offline.sh.
import sys

sys.path.insert(0, "$wheel")
from pip._internal.cli.main import main  # noqa: E402

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel") and not a.startswith("pip==")]
sys.exit(main(["install", "--upgrade", "--force-reinstall", "$wheel", *args]))
PY
mv "$script.tmp" "$script"
echo "ansible-test pip $pip_version bootstrap: $script"
