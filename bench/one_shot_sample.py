#!/usr/bin/env python3
"""The baseline: what IBM's DS8000 sample (run-cr-wflow-ds8k.py) does for every rule firing, standard library only.

Log in to CSM (form-encoded), list the scheduled tasks, run the one named on the command line. No reuse of the
login, no dedup, no polling. TLS checks are off, as in the sample. Used only by bench/actions.sh to compare.
"""
import json
import ssl
import sys
import urllib.parse
import urllib.request

base, user, password, task = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl._create_unverified_context()  # the sample's verify=False


def call(method, path, data=None, token=None):
    headers = {"Accept-Language": "en-US", "Content-Type": "application/x-www-form-urlencoded"}
    if token:
        headers["X-Auth-Token"] = token
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
        return json.loads(r.read().decode("utf-8"))


token = call("POST", "/CSM/web/system/v1/tokens",
             urllib.parse.urlencode({"username": user, "password": password}).encode())["token"]
tasks = call("GET", "/CSM/web/sessions/scheduledtasks", token=token)
task_id = [t["id"] for t in tasks if t["name"] == task][0]
reply = call("POST", "/CSM/web/sessions/scheduledtasks/%s" % task_id, data=b"", token=token)
sys.exit(0 if reply.get("msg") == "IWNR2211I" else 1)
