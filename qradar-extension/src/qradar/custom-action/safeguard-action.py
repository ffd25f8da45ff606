#!/usr/bin/env python3
"""Safeguard Responder custom action: asks the Safeguard Responder app to protect data now.

QRadar runs this script when a rule fires (Rule Response -> Execute Custom Action) and passes the
parameters positionally, in the order they are defined on the custom action (the app defines them):

  1  app_url         fixed               https://<console>/console/plugins/<app id>/app_proxy
  2  action_token    fixed, encrypted    the app's action token
  3  sec_token       fixed, encrypted    the token of the QRadar authorized service the app made for this
                                         action; sent as SEC, so the console's app proxy lets the call through
                                         (an authorized service's POST needs no QRadarCSRF)
  4  console_sha256  fixed               SHA-256 fingerprint of the console's certificate, read by the app;
                                         the script talks to the console only if it presents that certificate
  5  action_type     fixed               scale-snapshot | csm-backup | cdm-restore
  6  target          fixed               the storage target's name in the app
  7  username        dynamic             event column username
  8  filename        dynamic             event column Filename (the DSM's custom property)
  9  file_path       dynamic             event column File path
"none" stands for an empty value (QRadar passes arguments by position). Without a fingerprint the host's
trust store verifies the console. There is no way to turn verification off.

Prints one line a person can read; exit status 0 when the app took the request (accepted, coalesced,
dry-run), 1 when it refused or failed (or the console's certificate is not the pinned one), 2 for wrong
parameters. Never prints the tokens. Standard library only; runs on Python 3.6.
"""
import hashlib
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse

TYPES = ("scale-snapshot", "csm-backup", "cdm-restore")
USAGE = ("usage: safeguard-action.py APP_URL ACTION_TOKEN SEC_TOKEN CONSOLE_SHA256 ACTION_TYPE TARGET "
         "[USERNAME] [FILENAME] [FILE_PATH]")


def say(text, secrets):
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    print("Safeguard Responder: " + text)


def value(argv, i):
    v = argv[i] if len(argv) > i else ""
    return "" if v == "none" else v


class PinMismatch(Exception):
    pass


def connect(url, pin, timeout):
    """An HTTP(S) connection to the console, its certificate verified by pin or by the host's trust store."""
    if url.scheme == "http":
        return http.client.HTTPConnection(url.hostname, url.port or 80, timeout=timeout)
    if not pin:
        return http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=timeout,
                                           context=ssl.create_default_context())
    # Pinned: the handshake takes any certificate, then nothing is sent unless it is the pinned one.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection(url.hostname, url.port or 443, timeout=timeout, context=context)
    conn.connect()
    seen = hashlib.sha256(conn.sock.getpeercert(binary_form=True)).hexdigest()
    if seen != pin.replace(":", "").lower():
        conn.close()
        raise PinMismatch(seen)
    return conn


def main(argv):
    if len(argv) < 7:
        print("Safeguard Responder: " + USAGE)
        return 2
    app_url, token, sec, pin, action_type, target = (value(argv, i) for i in range(1, 7))
    user, filename, path = value(argv, 7), value(argv, 8), value(argv, 9)
    secrets = (token, sec)
    if action_type not in TYPES:
        say("unknown action type '%s' (expected one of %s)" % (action_type, ", ".join(TYPES)), secrets)
        return 2
    url = urllib.parse.urlsplit(app_url)
    if url.scheme not in ("https", "http") or not url.hostname:
        say("the app URL must start with https://", secrets)
        return 2
    if not token:
        say("no action token: reveal or rotate it in the app", secrets)
        return 2

    rule = os.environ.get("RULE_NAME", "")
    rule_id = os.environ.get("RULE_ID", "")
    # The same firing retried within a minute gets the same key, so the app answers it once.
    minute = time.strftime("%Y%m%d%H%M", time.gmtime())
    key = hashlib.sha256("|".join((rule_id, rule, action_type, target, path, user, minute)).encode("utf-8")).hexdigest()
    body = {
        "type": action_type,
        "target": target,
        "idempotencyKey": "qradar-" + key[:40],
        "context": {"rule": rule or None, "user": user or None, "path": path or None, "filename": filename or None,
                    "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": "Bearer " + token}
    if sec:
        headers["SEC"] = sec
    what = "%s on %s" % (action_type, target)
    try:
        conn = connect(url, pin, 20)
        try:
            conn.request("POST", url.path.rstrip("/") + "/api/actions", body=json.dumps(body).encode("utf-8"),
                         headers=headers)
            response = conn.getresponse()
            status, raw = response.status, response.read()
        finally:
            conn.close()
    except PinMismatch as e:
        say("FAILED %s: the console at %s presented a certificate with SHA-256 %s, not the pinned one; "
            "the app refreshes the pin when it next provisions its content" % (what, url.hostname, e), secrets)
        return 1
    except (OSError, http.client.HTTPException, ValueError) as e:
        say("FAILED %s: cannot reach the app at %s (%s)" % (what, app_url, e), secrets)
        return 1

    try:
        answer = json.loads(raw.decode("utf-8"))
    except ValueError:  # an HTML error page from a proxy says nothing useful
        answer = {}
    if status == 401 and "error" not in answer:
        say("FAILED %s: HTTP 401 from the console's app proxy: the SEC token was refused (the app renews it; "
            "check Settings in the app)" % what, secrets)
        return 1
    if status >= 300 or not isinstance(answer, dict):
        say("FAILED %s: HTTP %d %s" % (what, status, answer.get("error", "") if isinstance(answer, dict) else ""),
            secrets)
        return 1

    state = answer.get("status")
    if state == "refused":
        say("REFUSED %s: %s (action %s)" % (what, answer.get("reason", ""), answer.get("id")), secrets)
        return 1
    if state == "coalesced":
        say("%s covered by action %s (request %s)" % (what, answer.get("coalescedInto"), answer.get("id")), secrets)
        return 0
    say("%s %s (action %s)" % (what, state, answer.get("id")), secrets)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
