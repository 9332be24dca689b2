#!/usr/bin/env bash
# Runs the Spark jobs' tests (test/runtime/spark) and lint with the venv .ci/bootstrap-spark made.
# Spark runs in local mode, once per pytest session.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${LOGLAKE_SPARK_VENV:-.venv-spark}
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "runtime/spark/test.sh: no $VENV: run bash .ci/bootstrap-spark first" >&2
  exit 1
fi
"$VENV/bin/ruff" check --config runtime/spark/pyproject.toml runtime/spark test/runtime/spark
"$VENV/bin/ruff" format --check --config runtime/spark/pyproject.toml runtime/spark test/runtime/spark
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider test/runtime/spark "$@"
