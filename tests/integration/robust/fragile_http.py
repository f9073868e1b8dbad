#!/usr/bin/env python3
# fragile_http.py ADDR PORT - a web server that dies on one malformed message, for robust.sh.
#
# A Python stand-in: Debian ships no HTTP server that crashes on bad input (that is the point of
# its servers), and robust.malformed's FAIL path needs a service that really goes away. This one
# answers well-formed requests like a tiny device web UI, and exits the whole process (the port
# closes, as after a crash) when a header line is longer than 8 KiB, the classic fixed line buffer.
import os
import socket
import sys
import threading

LINE_MAX = 8192


def serve(conn):
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data and b"\n\n" not in data:
        try:
            chunk = conn.recv(65536)
        except OSError:
            return
        if not chunk:
            break
        data += chunk
        if not data[:1].isalpha():
            conn.sendall(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        if any(len(line) > LINE_MAX for line in data.split(b"\n")):
            sys.stderr.write("fragile_http: header line over %d bytes, crashing\n" % LINE_MAX)
            sys.stderr.flush()
            os._exit(3)
    body = b"<html>fragile device</html>"
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s"
                 % (len(body), body))


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((sys.argv[1], int(sys.argv[2])))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=lambda c=conn: (serve(c), c.close()), daemon=True).start()


main()
