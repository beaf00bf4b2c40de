#!/bin/sh
# Runs its arguments with the two throwaway secret stores Unyo's tests and headless runs use:
# - an unlocked GNOME Keyring answering as the Secret Service on the current D-Bus session bus,
#   with its files in a temporary directory instead of ~/.local/share/keyrings;
# - a new, empty kernel session keyring (keyutils), so keys neither leak in from nor out to
#   the login session.
# Start it inside a private bus, as `cargo xtask test` does:
#   dbus-run-session --config-file=tests/session-bus.conf -- tests/with-keyring.sh COMMAND...
# It stops rather than run COMMAND without both stores, and it refuses a bus that already has
# a Secret Service: that would be the user's own keyring.
set -eu

fail() {
    echo "with-keyring.sh: $*" >&2
    exit 2
}

[ "$#" -gt 0 ] || fail "usage: with-keyring.sh COMMAND [ARGS...]"
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] ||
    fail "no D-Bus session bus; run me inside dbus-run-session"
for tool in gnome-keyring-daemon dbus-send keyctl; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing (Debian: apt-get install gnome-keyring dbus keyutils)"
done

secret_service_answers() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true'
}

secret_service_answers &&
    fail "this bus already has a Secret Service (your own keyring?); run me inside dbus-run-session"

dir=$(mktemp -d "${TMPDIR:-/tmp}/unyo-keyring.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# --unlock reads a password from stdin and creates the "login" keyring with it (the default
# collection) when there is none; the daemon forks and serves until the bus goes away.
printf 'unyo-test' |
    XDG_DATA_HOME="$dir" XDG_RUNTIME_DIR="$dir" \
        gnome-keyring-daemon --unlock --components=secrets >/dev/null

tries=0
until secret_service_answers; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || fail "gnome-keyring-daemon did not take org.freedesktop.secrets"
    sleep 0.1
done

# Tests check this to make sure they never write to a developer's own keyring.
export UNYO_TEST_KEYRING="$dir"
keyctl session - "$@"
