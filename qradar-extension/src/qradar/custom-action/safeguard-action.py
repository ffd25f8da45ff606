#!/usr/bin/env python3
"""Safeguard Responder custom action: asks the Safeguard Responder app to protect data now.

QRadar runs this script when a rule fires (Rule Response -> Execute Custom Action) and passes the
parameters positionally, in the order they are defined on the custom action:

  1  app_url       fixed      https://<console>/console/plugins/<app id>/app_proxy
  2  action_token  fixed, encrypted   the app's action token (Settings page of the app)
  3  action_type   fixed      scale-snapshot | csm-backup | cdm-restore
  4  target        fixed      the storage target's name in the app
  5  username      dynamic    event property: username (or clientUserID)
  6  filename      dynamic    event property: Filename
  7  file_path     dynamic    event property: File path
  8  sec_token     fixed, encrypted, optional   a QRadar authorized-service token, sent as SEC so the
                               console's app proxy lets the call through

QRadar sets RULE_NAME and RULE_ID. SAFEGUARD_CA_BUNDLE may name a CA file for the console's certificate.
Prints one line a person can read; exit status 0 when the app took the request, 1 when it refused or
failed, 2 for wrong parameters. Never prints the tokens. Standard library only; runs on Python 3.6.
"""
import hashlib
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

TYPES = ("scale-snapshot", "csm-backup", "cdm-restore")


def say(text, secrets):
    for s in secrets:
        if s:
            text = text.replace(s, "***")
    print("Safeguard Responder: " + text)


def main(argv):
    if len(argv) < 5:
        print("Safeguard Responder: usage: safeguard-action.py APP_URL ACTION_TOKEN ACTION_TYPE TARGET "
              "[USERNAME] [FILENAME] [FILE_PATH] [SEC_TOKEN]")
        return 2
    app_url, token, action_type, target = argv[1], argv[2], argv[3], argv[4]
    user = argv[5] if len(argv) > 5 else ""
    filename = argv[6] if len(argv) > 6 else ""
    path = argv[7] if len(argv) > 7 else ""
    sec = argv[8] if len(argv) > 8 else ""
    secrets = (token, sec)
    if action_type not in TYPES:
        say("unknown action type '%s' (expected one of %s)" % (action_type, ", ".join(TYPES)), secrets)
        return 2
    if not app_url.startswith("https://") and not app_url.startswith("http://"):
        say("the app URL must start with https://", secrets)
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
    request = urllib.request.Request(app_url.rstrip("/") + "/api/actions", data=json.dumps(body).encode("utf-8"),
                                     headers=headers, method="POST")
    context = ssl.create_default_context(cafile=os.environ.get("SAFEGUARD_CA_BUNDLE") or None)
    what = "%s on %s" % (action_type, target)
    try:
        with urllib.request.urlopen(request, timeout=20, context=context) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        detail = ""
        try:
            detail = json.loads(e.read().decode("utf-8")).get("error", "")
        except Exception:  # an HTML error page from a proxy says nothing useful
            pass
        say("FAILED %s: HTTP %d %s" % (what, e.code, detail or e.reason), secrets)
        return 1
    except (urllib.error.URLError, OSError, ValueError) as e:
        say("FAILED %s: cannot reach the app at %s (%s)" % (what, app_url, getattr(e, "reason", e)), secrets)
        return 1

    status = answer.get("status")
    if status == "refused":
        say("REFUSED %s: %s (action %s)" % (what, answer.get("reason", ""), answer.get("id")), secrets)
        return 1
    if status == "coalesced":
        say("%s covered by action %s already under way (request %s)" % (what, answer.get("coalescedInto"),
                                                                        answer.get("id")), secrets)
        return 0
    say("%s %s (action %s)" % (what, status, answer.get("id")), secrets)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
