#!/usr/bin/env python3
# update_endpoint.py ADDR PORT MODE PUBKEY RUNNING - a device's web update endpoint, for tamper.sh.
#
# A Python stand-in: no Debian server takes firmware uploads. It plays a device's web UI: GET / is a
# page, POST /cgi-bin/upgrade takes multipart/form-data with the image in field "firmware" and its
# detached signature in field "signature", behind HTTP Basic admin/admin-test-pw. MODE:
#   accept    takes anything ("Upgrade OK"), as a device that verifies nothing
#   verify    verifies the signature with PUBKEY through `openssl dgst -sha256 -verify` (RSA or ECDSA,
#             whatever the key is) and refuses an image whose "FWVERSION=x.y.z" first line is older than
#             RUNNING: 400 "signature verification failed" / "downgrade refused"
#   refuse    refuses every upload with 400 "bad request" (an endpoint that verifies nothing either)
import base64
import http.server
import os
import subprocess
import sys
import tempfile

ADDR, PORT, MODE, PUBKEY, RUNNING = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
AUTH = "Basic " + base64.b64encode(b"admin:admin-test-pw").decode()


def version(image):
    first = image.split(b"\n", 1)[0]
    if not first.startswith(b"FWVERSION="):
        return None
    return tuple(int(x) for x in first[10:].decode().split("."))


def parts(body, ctype):
    boundary = ctype.split("boundary=", 1)[1].encode()
    out = {}
    for chunk in body.split(b"--" + boundary)[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0].decode()
        out[name] = data[:-2]
    return out


def verified(image, sig):
    with tempfile.TemporaryDirectory() as d:
        i, s = os.path.join(d, "img"), os.path.join(d, "sig")
        open(i, "wb").write(image)
        open(s, "wb").write(sig)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", PUBKEY, "-signature", s, i],
                           capture_output=True)
        return r.returncode == 0


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def answer(self, code, text):
        b = ("<html><body>%s</body></html>" % text).encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_GET(self):
        self.answer(200, "camera admin")

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        if self.path != "/cgi-bin/upgrade":
            return self.answer(404, "not found")
        if self.headers.get("Authorization") != AUTH:
            return self.answer(401, "login required")
        if MODE == "accept":
            return self.answer(200, "Upgrade OK, rebooting")
        if MODE == "refuse":
            return self.answer(400, "bad request")
        p = parts(body, self.headers.get("Content-Type", ""))
        image, sig = p.get("firmware", b""), p.get("signature", b"")
        if not verified(image, sig):
            return self.answer(400, "Error: signature verification failed")
        v = version(image)
        if v is None or v < tuple(int(x) for x in RUNNING.split(".")):
            return self.answer(400, "Error: verification failed: version %s is older than %s" % (".".join(map(str, v or ())), RUNNING))
        return self.answer(200, "Upgrade OK, rebooting")

    def log_message(self, *a):
        pass


http.server.ThreadingHTTPServer((ADDR, PORT), H).serve_forever()
