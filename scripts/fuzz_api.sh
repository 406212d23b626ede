#!/usr/bin/env bash
# Fuzz the API with schemathesis (--checks all) as the secretariat and as a head of
# delegation, against a server on a throw-away SQLite database holding the SCO reference
# data and the demo.
#
#   scripts/fuzz_api.sh [MAX_EXAMPLES]   (default 50 per operation; `make test` runs a
#                                         bounded version: tests/api/test_schemathesis.py)
#
# PHASES (default every phase: examples,coverage,fuzzing,stateful) and ROLES (default
# "secretariat head") narrow a run. ORG=sco fixes the `{org}` path parameter to that
# organization, so that its operations get past 404 and act on the demo data (slower; by
# default `{org}` is generated like any other string). The statuses schemathesis accepts as
# a refusal of valid data for reasons a schema cannot state are in schemathesis.toml, with a
# reason for each.
# Exit status: schemathesis's (0 when no failure was found for either role).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
EXAMPLES=${1:-50}
PORT=${PORT:-8765}
PHASES=${PHASES:-examples,coverage,fuzzing,stateful}
ROLES=${ROLES:-secretariat head}
ORG=${ORG:-}
WORK=$(mktemp -d)
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export CONCORD_RATE_LIMITS=${CONCORD_RATE_LIMITS:-off}
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN/concord" migrate >/dev/null
"$BIN/concord" load-reference sco >/dev/null
"$BIN/concord" load-demo >/dev/null
SEC=$("$BIN/concord" user create fuzz-sec --role secretariat --org sco --token | tail -1)
HEAD=$("$BIN/concord" user create fuzz-head-kaz --role head --org sco --state KAZ --token | tail -1)

"$BIN/python" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER=$!
# Revoking a token is left out: the stateful phase lists the caller's tokens and revokes the
# one in use, after which every request answers 401 and the rest of the run tests nothing
# (concord/accounts/tests/test_token_revocation.py covers it).
SKIP=concord_accounts_api_revoke_token
CONFIG=schemathesis.toml
if [ -n "$ORG" ]; then
  CONFIG="$WORK/schemathesis.toml"
  { cat schemathesis.toml; printf '\n[parameters]\n"path.org" = "%s"\n' "$ORG"; } >"$CONFIG"
fi
status=0
for role in $ROLES; do
  token=$SEC
  [ "$role" = head ] && token=$HEAD
  echo "== schemathesis as the $role, $EXAMPLES examples per operation, phases $PHASES${ORG:+, org $ORG}"
  "$BIN/st" --config-file "$CONFIG" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --wait-for-schema 30 --checks all --phases "$PHASES" --max-examples "$EXAMPLES" \
    --exclude-operation-id "$SKIP" \
    --header "Authorization: Bearer $token" --workers 1 || status=$?
done
exit "$status"
