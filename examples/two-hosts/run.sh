#!/bin/sh
# Two relay hosts on one machine (README, "Relay workers on other hosts"): host A is the API with
# one local relay worker; host B is a relay worker process of its own, on other ports, registered
# through Redis as a worker on another machine would be. Listeners of a space are spread over
# both; a speaker on either is heard on both. Needs Redis (REDIS_URL) and `npm run build` once.
set -eu
cd "$(dirname "$0")/../.."

export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
# A prefix of its own, so the example never meets another deployment sharing the Redis.
export RELAY_REDIS_PREFIX="${RELAY_REDIS_PREFIX:-amphi-two-hosts:}"

# Host B: media on UDP 41000, pipe on UDP 41001 (the default: beside the media port).
RELAY_WORKER_ID=host-b RELAY_PORT=41000 RELAY_PIPE_HOST=127.0.0.1 \
  node --import tsx server/media/relay-workers/remote-worker-main.ts &
host_b=$!
trap 'kill "$host_b" 2>/dev/null || true' EXIT INT TERM

# Host A: the API on :4000, one local worker with media on UDP 40000 and its pipe on UDP 40100.
RELAY_REMOTE_WORKERS=true RELAY_WORKERS=1 RELAY_PORT=40000 \
  RELAY_PIPE_HOST=127.0.0.1 RELAY_PIPE_PORT=40100 \
  node --import tsx server/main.ts
