#!/usr/bin/env python3
"""The baseline for bench/time-to-protect.sh: what IBM's DS8000 sample does on every rule firing, with its library.

IBM's sample is run-cr-wflow-ds8k.py in the public repository IBM/ibm-qradar-ds8k-sgc-csm (commit db7073b8).
This file is written for the bench, not copied; it makes the same calls in the same order with the same
library and the same imports before its first request:
  - imports sys, json, base64, argparse, requests and `from requests.packages.urllib3.exceptions import *`;
  - options -s server, -P port (default 9559), -u and -p base64-encoded user and password, -t task name;
  - headers Accept-Language: en-US and Content-Type: application/x-www-form-urlencoded on every call;
  - POST {base}/system/v1/tokens with the form username/password; the token goes in X-Auth-Token;
  - GET {base}/sessions/scheduledtasks (data=''), the first task whose name equals -t gives the id;
  - POST {base}/sessions/scheduledtasks/{id} (data=''), success when the reply's msg is IWNR2211I;
  - every call with requests.post/requests.get (a new connection each), verify=False, timeout=30, the
    InsecureRequestWarning silenced, the reply read with json.loads(reply.text).
Needs Python `requests` (Debian: python3-requests).
"""
import sys
import json
import base64
import argparse
import requests
from requests.packages.urllib3.exceptions import *  # noqa: F401,F403 - as the sample imports it


def call(url, method, headers, data, field):
    requests.packages.urllib3.disable_warnings(InsecureRequestWarning)  # noqa: F405
    send = requests.post if method == "post" else requests.get
    reply = send(url, headers=headers, data=data, verify=False, timeout=30)
    try:
        answer = json.loads(reply.text)
    except json.decoder.JSONDecodeError:
        print("Unknown response from server")
        sys.exit(1)
    return answer[field] if field is not None else answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-s", "--csm_server", type=str, required=True)
    parser.add_argument("-P", "--csm_port", type=int, required=False, default=9559)
    parser.add_argument("-u", "--csm_user", type=str, required=True)
    parser.add_argument("-p", "--csm_user_passwd", type=str, required=True)
    parser.add_argument("-t", "--csm_task", type=str, required=True)
    args = parser.parse_args()
    user = base64.b64decode(args.csm_user.strip().encode("ascii")).decode("ascii").strip()
    password = base64.b64decode(args.csm_user_passwd.strip().encode("ascii")).decode("ascii").strip()
    task_name = args.csm_task.strip()
    base = "https://{0}:{1}/CSM/web".format(args.csm_server.strip(), args.csm_port)
    headers = {"Accept-Language": "en-US", "Content-Type": "application/x-www-form-urlencoded"}

    headers["X-Auth-Token"] = call(base + "/system/v1/tokens", "post", headers,
                                   {"username": user, "password": password}, "token")
    tasks_url = base + "/sessions/scheduledtasks"
    task_id = 0
    for task in call(tasks_url, "get", headers, "", None):
        if task["name"] == task_name:
            task_id = task["id"]
            break
    print("Found {0} with id => {1}".format(task_name, task_id))
    reply = call(tasks_url + "/" + str(task_id), "post", headers, "", None)
    if reply["msg"] == "IWNR2211I":
        print("Task {0} invoked successfully !!".format(task_name))
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
