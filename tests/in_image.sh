#!/bin/sh
# The bot from the Docker image, for the end-to-end tests against the local Bot API emulator:
#   E2E_BOT_COMMAND=tests/in_image.sh .venv/bin/python -m pytest tests/test_e2e.py -k adds
# Runs `python -m bot "$@"` in the image `reportbot` (podman or docker) on the host network, with the test's
# settings and its temporary directories mounted at the same paths (made writable for the image's user).
set -eu
engine=$(command -v podman || command -v docker)
mounts=$(for value in "$BOT_SEEDS_DIR" "$BOT_DB_PATH" "$BOT_LIBRARY_DIR"; do dirname "$value"; done | sort -u)
volumes=""
for dir in $mounts; do
  mkdir -p "$dir"
  chmod -R a+rwX "$dir"
  volumes="$volumes -v $dir:$dir"
done
echo "running python -m bot $* in the image reportbot ($engine)" >&2
# shellcheck disable=SC2086
exec "$engine" run --rm --network host --pull=never $volumes \
  -e TELEGRAM_BOT_TOKEN -e TELEGRAM_API_BASE_URL -e BOT_ADMIN_IDS -e BOT_DB_PATH -e BOT_SEEDS_DIR \
  -e BOT_LIBRARY_DIR -e BOT_LOG_LEVEL -e PYTHONUNBUFFERED \
  reportbot python -m bot "$@"
