#!/usr/bin/env bash
# The rule's path, timed: superseded by bench/time-to-protect.sh (IBM's sample flow with Python requests beside our
# provisioned custom action through the console's app proxy, same run, same CSM simulator, firings lost counted).
exec "$(dirname "$0")/time-to-protect.sh" "$@"
