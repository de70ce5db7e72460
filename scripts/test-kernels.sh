#!/usr/bin/env bash
# Runs the jest suite once under each CPU kernel setting the tests must not depend on, one after
# the other, and prints one summary line per setting:
#   OpenBLAS's automatic choice for this CPU (OPENBLAS_CORETYPE unset),
#   OPENBLAS_CORETYPE=Prescott (generic SSE3 kernels), =Haswell (AVX2), =SkylakeX (AVX-512),
#   ATEN_CPU_CAPABILITY=default (ATen's kernels without AVX; OpenBLAS's choice).
# Each run starts from a clean environment for these two variables, so a value set by the caller's
# environment does not leak into the other settings. This is the only place that sets
# OPENBLAS_CORETYPE: the tests themselves must pass whichever kernel the machine picks.
#
# Usage: bash scripts/test-kernels.sh [jest arguments]   e.g.  bash scripts/test-kernels.sh test/nn
# Needs the addon and dist/ built (npm run setup). Exits non-zero if any setting fails.
set -uo pipefail
cd "$(dirname "$0")/.."

settings=(unset OPENBLAS_CORETYPE=Prescott OPENBLAS_CORETYPE=Haswell OPENBLAS_CORETYPE=SkylakeX ATEN_CPU_CAPABILITY=default)
summary=()
failed=0
for s in "${settings[@]}"; do
  vars=()
  [ "$s" != unset ] && vars=("$s")
  echo "=== ${s/unset/OPENBLAS_CORETYPE and ATEN_CPU_CAPABILITY unset}"
  log=$(mktemp)
  env -u OPENBLAS_CORETYPE -u ATEN_CPU_CAPABILITY "${vars[@]}" npx jest "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  # jest's own totals, e.g. "Tests:       2 failed, 9 skipped, 1318 passed, 1329 total"
  totals="$(grep -E '^(Test Suites|Tests):' "$log" | sed -E 's/ +/ /g' | paste -sd';' -)"
  rm -f "$log"
  [ "$rc" -ne 0 ] && failed=1
  summary+=("$(printf '%-28s %s  %s' "$s" "$([ "$rc" -eq 0 ] && echo PASS || echo "FAIL (exit $rc)")" "$totals")")
done
echo
echo "=== kernel settings"
printf '%s\n' "${summary[@]}"
exit $failed
