#!/usr/bin/env python3
"""Start-up, memory and size of the installable bundle, measured the way QRadar runs it.

Unzips the built zip into a scratch folder standing in for /opt/app-root (Python's zipfile, as QRadar's
framework, keeps no file modes), runs container/build/ordering.txt, then starts the manifest service's
command with supervisord's semantics (no shell, its directory, its log files) and measures:
  - time from process start to the first 200 on /debug, with the class-data archive the image-build step
    makes (every start in QRadar, the first one included) and without it (should that step have failed);
  - RSS at idle and after 1,000 GET /api/health;
  - the zip's size.
Usage: bench/startup.py [ZIP] [--runs N]   (builds the zip with Maven when none is given and none exists)
"""
import argparse, glob, http.client, json, os, platform, shutil, socket, statistics, subprocess, sys, tempfile, time, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_ROOT = "/opt/app-root"


def build_zip():
    zips = glob.glob(os.path.join(ROOT, "qradar-extension/target/safeguard-responder-*.zip"))
    if not zips:
        subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package"], cwd=ROOT, check=True)
        zips = glob.glob(os.path.join(ROOT, "qradar-extension/target/safeguard-responder-*.zip"))
    return zips[0]


def install(zip_path, root):
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root)
    ordering = os.path.join(root, "container/build/ordering.txt")
    if os.path.exists(ordering):
        for line in open(ordering):
            if line.strip():
                subprocess.run(["sh", "-c", line.replace(APP_ROOT, root)], check=True,
                               env=dict(os.environ, APP_ROOT=root))  # set by the app image's Dockerfile
    os.makedirs(os.path.join(root, "store/log"), exist_ok=True)
    return json.load(open(os.path.join(root, "manifest.json")))


def free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start(root, service, port):
    argv = [w.replace(APP_ROOT, root) for w in service["command"].split()]
    env = {"APP_ROOT": root, "QRADAR_CONSOLE_FQDN": "console.qradar.test", "QRADAR_APP_ID": "1051",
           "LANG": "en_US.UTF-8", "TZ": "UTC", "PATH": "/usr/bin:/bin"}
    if port != 5000:
        env["SAFEGUARD_PORT"] = str(port)
    out = open(service["stdout_logfile"].replace(APP_ROOT, root), "ab")
    err = open(service["stderr_logfile"].replace(APP_ROOT, root), "ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, cwd=service.get("directory", APP_ROOT).replace(APP_ROOT, root), env=env,
                            stdout=out, stderr=err)
    while True:
        if proc.poll() is not None:
            sys.exit("service exited with %s" % proc.returncode)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/debug")
            if c.getresponse().status == 200:
                return proc, time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.005)


def rss_mb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0


def stop(proc):
    proc.terminate()
    proc.wait(timeout=15)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("zip", nargs="?")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    zip_path = args.zip or build_zip()
    port = 5000 if free(5000) else 5077
    scratch = tempfile.mkdtemp(prefix="sr-bench-")
    try:
        root = os.path.join(scratch, "app-root")
        manifest = install(zip_path, root)
        service = manifest["services"][0]
        archive = os.path.join(root, "app/app.jsa")
        built = archive + ".from-image-build"
        shutil.copy(archive, built)  # made by container/build/prepare-runtime.sh during install()

        cold, warm = [], []
        for _ in range(args.runs):
            os.remove(archive)  # as if the image-build training run had failed
            proc, t = start(root, service, port)
            cold.append(t)
            stop(proc)
            shutil.copy(built, archive)
            proc, t = start(root, service, port)
            warm.append(t)
            stop(proc)

        proc, _ = start(root, service, port)
        time.sleep(2)
        idle = rss_mb(proc.pid)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        t0 = time.monotonic()
        for _ in range(1000):
            c.request("GET", "/api/health")
            r = c.getresponse()
            r.read()
            assert r.status == 200
        took = time.monotonic() - t0
        after = rss_mb(proc.pid)
        stop(proc)

        def ms(xs):
            return "median %.0f ms (min %.0f, max %.0f, n=%d)" % (
                statistics.median(xs) * 1000, min(xs) * 1000, max(xs) * 1000, len(xs))

        print("bundle: %s (%.1f MB)" % (os.path.basename(zip_path), os.path.getsize(zip_path) / 1e6))
        print("command: %s" % service["command"])
        print("/debug first 200, with the class-data archive made at image build: %s" % ms(warm))
        print("/debug first 200, without it (training run failed): %s" % ms(cold))
        print("RSS idle: %.0f MB; after 1,000 /api/health: %.0f MB (%.0f req/s, one keep-alive client)"
              % (idle, after, 1000 / took))
        print("machine: %s, %d cores, %s; %s" % (platform.processor() or platform.machine(), os.cpu_count(),
              platform.platform(), time.strftime("%Y-%m-%d")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
