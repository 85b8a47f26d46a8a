#!/usr/bin/env bash
# Start the demo: migrate, seed, run localstripe and the app on 127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."

export APP_ENV=development
export FLASK_APP=wsgi
export STRIPE_API_BASE="${STRIPE_API_BASE:-http://127.0.0.1:8420}"
PY=.venv/bin/python
mkdir -p instance

.venv/bin/flask db upgrade
.venv/bin/flask seed

$PY scripts/localstripe_server.py --port 8420 --state instance/localstripe.pickle &
STRIPE_PID=$!
trap 'kill $STRIPE_PID 2>/dev/null || true' EXIT INT TERM
# localstripe signs and posts payment events to the app, as Stripe does once a
# webhook endpoint is registered (its registrations live in memory: every start).
$PY scripts/localstripe_webhook.py --stripe http://127.0.0.1:8420 \
    --url http://127.0.0.1:5000/webhooks/stripe --secret "${STRIPE_WEBHOOK_SECRET:-whsec_offline}"
# The seeded deposits get real test payments there, so refunding them works too.
.venv/bin/flask seed-payments || echo "Some seeded deposits have no payment at the stand-in; refunding them stays owed."

echo
echo "Open http://127.0.0.1:5000  (demo e-mail: http://127.0.0.1:5000/demo/outbox)"
echo
.venv/bin/flask run --host 127.0.0.1 --port 5000
