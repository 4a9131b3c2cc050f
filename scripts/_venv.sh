# Sourced by scripts/serve and scripts/test: choose the Python environment and install ai-workers
# into it once. Never installs into the system interpreter (PEP 668 refuses that on Debian/Ubuntu).
#   - an active virtual environment ($VIRTUAL_ENV) is used as it is;
#   - otherwise the project's own .venv/ is created on first use and reused after.
# The install is skipped when nothing it depends on changed since the last one (a stamp of the
# extras, pyproject.toml, setup.py and the compiled PHI detector's sources), so a re-run starts at once.
# Usage: aiw_prepare_venv EXTRAS   (e.g. 'all,local,test')

# pip warns once per package about index folders a machine's pip.conf names but lacks; only noise.
_aiw_quiet_pip() { grep -v "^WARNING: Location '.*' is ignored" || true; }

aiw_prepare_venv() {
  local extras=$1 root venv py stamp digest
  root=$(pwd)
  if [ -n "${VIRTUAL_ENV:-}" ]; then
    venv=$VIRTUAL_ENV
    echo "ai-workers: using the active virtual environment $venv"
  else
    venv=$root/.venv
    if [ ! -x "$venv/bin/python" ]; then
      echo "ai-workers: creating the project virtual environment $venv"
      "${PYTHON:-python3}" -m venv "$venv"
    else
      echo "ai-workers: using the project virtual environment $venv"
    fi
  fi
  py=$venv/bin/python
  stamp=$venv/.ai-workers-installed
  digest=$(cat pyproject.toml setup.py src/ai_workers/safety/phi/*.py | sha256sum | cut -c1-32)
  export PATH="$venv/bin:$PATH" VIRTUAL_ENV=$venv
  # The stamp has a line per install: digest, extras, checkout. One with every extra asked for counts
  # (the test install covers serve's).
  if [ -f "$stamp" ] && "$py" -c "import ai_workers" 2>/dev/null; then
    local s_digest s_extras s_root extra missing
    while read -r s_digest s_extras s_root; do
      [ "$s_digest" = "$digest" ] && [ "$s_root" = "$root" ] || continue
      missing=0
      for extra in ${extras//,/ }; do
        case ",$s_extras," in *",$extra,"*) ;; *) missing=1 ;; esac
      done
      [ "$missing" = 0 ] && return 0
    done < "$stamp"
  fi
  # PyTorch: the CPU build that lies on this machine's disk (a plain `torch` would pull a CUDA build).
  if ! "$py" -c "import torch" 2>/dev/null; then
    "$py" -m pip install -q torch==2.13.0 2>&1 | _aiw_quiet_pip
  fi
  echo "ai-workers: installing .[$extras] (first run, or its dependencies changed)"
  "$py" -m pip install -q -e ".[$extras]" 2>&1 | _aiw_quiet_pip
  echo "$digest $extras $root" >> "$stamp"
}
