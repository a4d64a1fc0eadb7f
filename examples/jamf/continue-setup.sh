#!/bin/sh
# Jamf Pro policy script: set Continue up for Langdock for the user at the console.
#
# Runs as root (as Jamf policies do) and writes into the console user's home with
# --home, so ~/.continue and its files end up owned by that user, not by root.
# Safe to run on every check-in: an unchanged config is not rewritten.
#
# Script parameters (Jamf passes $1-$3 itself):
#   $4  Langdock API key (required). It is piped to --api-key-stdin, never put on
#       continue-setup's command line. Jamf itself shows parameters to its admins.
#   $5  dedicated deployment URL (optional), e.g. https://acme.langdock.com/api/public
#   $6  region: eu or us (optional)
#   $7  path of continue-setup (optional; default: continue-setup on the PATH)
#   $8  organisation settings file on the Mac (optional)
set -eu

key="${4:-}"
base_url="${5:-}"
region="${6:-}"
tool="${7:-continue-setup}"
org_settings="${8:-}"

if [ -z "$key" ]; then
    echo "continue-setup: parameter 4 (the Langdock API key) is empty" >&2
    exit 2
fi

user=$(/usr/bin/stat -f %Su /dev/console)
if [ -z "$user" ] || [ "$user" = "root" ] || [ "$user" = "loginwindow" ]; then
    echo "continue-setup: nobody is logged in at the console; try again later" >&2
    exit 1
fi
home=$(/usr/bin/dscl . -read "/Users/$user" NFSHomeDirectory | /usr/bin/awk '{print $2}')

printf '%s' "$key" | "$tool" init --yes --json --api-key-stdin --home "$home" \
    ${base_url:+--base-url "$base_url"} \
    ${region:+--region "$region"} \
    ${org_settings:+--org-settings "$org_settings"}
