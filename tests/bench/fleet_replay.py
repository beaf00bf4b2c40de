"""Record AWS answers once, then replay them from memory with a fixed delay.

The fleet and alarms benchmarks (`cargo xtask bench fleet|alarms`) cannot time clients against
the moto server itself: moto needs seconds to list thousands of instances. So this server
starts in front of moto as a recording proxy: every request is forwarded, and the answer
(status, headers, body) is kept in memory under a key of the request's region and service (from
the SigV4 credential scope), its action (X-Amz-Target, or the query's Action) and all its
parameters (pagination included). After `POST /__bench__/replay` it no longer talks to moto:
each request gets the recorded answer after a fixed delay (a typical AWS round trip), requests
on different connections wait concurrently, and a request never recorded gets HTTP 599 and is
counted.
`GET /__bench__/stats` says how many were recorded, replayed and missed.

With `--save FILE` the recording is written to FILE when replay starts; with `--load FILE` the
server starts replaying that recording at once and needs no upstream, so later runs of the
benchmark skip moto (a fresh recording takes minutes: moto creates instances slowly).

Usage: python fleet_replay.py (--upstream http://127.0.0.1:PORT [--save FILE] | --load FILE)
                             [--delay-ms 100]
It binds a free port on 127.0.0.1 and prints `listening on PORT` as its first line.
Standard library only, so it runs in the emulator's virtualenv or any Python 3.9+.
"""

import argparse
import base64
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
# Headers that describe one connection or one transfer, not the answer itself.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server"}


class Recorder:
    def __init__(self, upstream, delay, save):
        self.upstream = urllib.parse.urlsplit(upstream or "")
        self.delay = delay
        self.save_to = save
        self.replaying = False
        self.answers = {}
        self.lock = threading.Lock()
        self.stats = {"recorded": 0, "replayed": 0, "missed": 0, "missed_keys": []}

    def key(self, headers, body):
        scope = SCOPE.search(headers.get("Authorization", ""))
        region, service = scope.groups() if scope else ("-", "-")
        content_type = headers.get("Content-Type", "")
        if "x-www-form-urlencoded" in content_type:
            params = sorted(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            return json.dumps([region, service, params])
        try:
            params = json.loads(body) if body else None
        except ValueError:
            params = body.decode("utf-8", "replace")
        target = headers.get("X-Amz-Target", "")
        return json.dumps([region, service, target, params], sort_keys=True)

    def save(self):
        records = [
            {"key": key, "status": status, "headers": headers, "body": base64.b64encode(body).decode()}
            for key, (status, headers, body) in self.answers.items()
        ]
        with open(self.save_to, "w", encoding="utf-8") as file:
            json.dump(records, file)

    def load(self, path):
        with open(path, encoding="utf-8") as file:
            for record in json.load(file):
                headers = [tuple(pair) for pair in record["headers"]]
                body = base64.b64decode(record["body"])
                self.answers[record["key"]] = (record["status"], headers, body)
        self.stats["recorded"] = len(self.answers)
        self.replaying = True

    def forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection(
            self.upstream.hostname, self.upstream.port, timeout=300
        )
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
            connection.request(method, path, body=body, headers=forwarded)
            response = connection.getresponse()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            return response.status, kept, response.read()
        finally:
            connection.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    recorder = None

    def log_message(self, *args):
        pass

    def send(self, status, headers, body):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def control(self):
        recorder = self.recorder
        if self.path == "/__bench__/replay" and not recorder.replaying:
            recorder.replaying = True
            if recorder.save_to:
                recorder.save()
        with recorder.lock:
            stats = dict(recorder.stats, replaying=recorder.replaying)
        self.send(200, [("Content-Type", "application/json")], json.dumps(stats).encode())

    def answer(self):
        if self.path.startswith("/__bench__/"):
            return self.control()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorder = self.recorder
        key = recorder.key(self.headers, body)
        if recorder.replaying:
            time.sleep(recorder.delay)
            with recorder.lock:
                found = recorder.answers.get(key)
                recorder.stats["replayed" if found else "missed"] += 1
                if not found:
                    recorder.stats["missed_keys"].append(key)
            if found is None:
                message = f"not recorded: {key}".encode()
                return self.send(599, [("Content-Type", "text/plain")], message)
            return self.send(*found)
        status, headers, answer = recorder.forward(self.command, self.path, self.headers, body)
        with recorder.lock:
            if key not in recorder.answers:
                recorder.stats["recorded"] += 1
            recorder.answers[key] = (status, headers, answer)
        self.send(status, headers, answer)

    do_GET = answer
    do_POST = answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--upstream", help="the moto server's URL, to record from")
    source.add_argument("--load", help="a recording saved with --save, to replay")
    parser.add_argument("--save", help="where to write the recording when replay starts")
    parser.add_argument("--delay-ms", type=int, default=100)
    args = parser.parse_args()
    Handler.recorder = Recorder(args.upstream, args.delay_ms / 1000, args.save)
    if args.load:
        Handler.recorder.load(args.load)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
