#!/usr/bin/env python3
"""hostile.py - a reference device whose every port misbehaves, for tests/integration/hostile.sh.

    tests/testbed/hostile.py ADDRESS        (e.g. 127.0.6.1; root for udp/161; stops on SIGTERM)

starprobe must survive this device: no crash, no hang past its deadline, no runaway memory. Each
port imitates a fault seen in (or plausible for) real embedded firmware: a wedged task, a debug
stream left on, a parser that trusts its own length fields. Python 3 standard library only.

  port       what the client gets
  tcp/26001  stall: accepted, then never a byte (a wedged service task)
  tcp/26002  reset: accepted, then an RST at once (a crashing daemon, a connection limit)
  tcp/26003  flood: random bytes without end (a debug/log stream bound to a socket)
  tcp/26004  telnet: negotiates options, dribbles "login:" 1 byte / 200 ms; after any password
             prints a sensor line every 5 ms forever (a console that is really a log tail)
  tcp/26005  ftp: an endless multi-line greeting, "220-" lines forever
  tcp/26006  http: every path answers 301/302 to another path on itself (a redirect loop)
  tcp/26007  http: /admin... answers 401 Digest stale=true forever, a new nonce each time
  tcp/26008  http: 200 with Content-Length 9999999999999999999 (over int64), then a few bytes, stall
  tcp/26009  ssh: a banner, then a KEXINIT packet whose length field (0xfffffff0) overruns, stall
  tcp/26010  ssh: "SSH-2.0-" then banner bytes forever, never a newline
  tcp/26011  tls: to a ClientHello, a handshake record claiming length 0xffff, 6 bytes of it, stall
  tcp/26012  tls: a valid-looking ServerHello, Certificate, ServerHelloDone dripped 1 byte / 10 ms
  tcp/26013  mqtt: CONNACK 0 to any CONNECT; after SUBSCRIBE, PUBLISH packets forever
  tcp/26014  mqtt: to CONNECT, a packet whose remaining-length varint never ends (0xff forever)
  tcp/26015  rtsp: a status line, then header lines forever (never the blank line)
  udp/1900   flood: every datagram is answered by 200 datagrams of random bytes
  udp/5683   coap: /.well-known/core and every resource answer block after block, each with
             Block2 M=1 ("more"), so a client following the blocks never finishes
  udp/161    snmp: GetResponses echoing the request id, with malformed BER lengths (rotating:
             4 GiB outer length, a value overrunning its parent, 9 length octets, indefinite form)

Every loop is bounded: a connection lives at most LIFETIME seconds, at most MAX_CONNS connections
are served at once (the rest are closed on accept), a UDP request gets at most BURST replies, and
every read is capped. SIGTERM (or SIGINT) stops the process.
"""

import os
import random
import signal
import socket
import struct
import sys
import threading
import time

LIFETIME = 120      # seconds a connection may live, whatever the client does
MAX_CONNS = 256     # connections served at once; beyond that, accepted and closed at once
BURST = 200         # UDP replies to one request
STOP = threading.Event()
SLOTS = threading.BoundedSemaphore(MAX_CONNS)


class Gone(Exception):
    """The client went away, the connection's lifetime ran out, or we are stopping."""


class Conn:
    """A client connection with a lifetime: every wait is at most 0.5 s and checks the clock."""

    def __init__(self, sock):
        self.sock = sock
        self.until = time.monotonic() + LIFETIME
        sock.settimeout(0.5)

    def alive(self):
        if STOP.is_set() or time.monotonic() > self.until:
            raise Gone()

    def send(self, data):
        """All of data, or Gone: never leave half a packet and carry on framing after it."""
        view = memoryview(data)
        while view:
            self.alive()
            try:
                n = self.sock.send(view)
            except socket.timeout:
                continue
            except OSError:
                raise Gone()
            view = view[n:]

    def recv(self, cap=4096, wait=None):
        """Up to cap bytes; b'' only on a timeout when wait is given; Gone when closed."""
        end = time.monotonic() + wait if wait is not None else None
        while True:
            self.alive()
            try:
                data = self.sock.recv(cap)
            except socket.timeout:
                if end is not None and time.monotonic() >= end:
                    return b''
                continue
            except OSError:
                raise Gone()
            if not data:
                raise Gone()
            return data

    def sleep(self, seconds):
        self.alive()
        if STOP.wait(seconds):
            raise Gone()

    def drain(self):
        """Read and drop whatever the client sends until it goes: the "stall" of a wedged task."""
        while True:
            self.recv(4096)

    def read_head(self, cap=8192):
        """An HTTP/RTSP request head (bounded), or Gone."""
        buf = b''
        while b'\r\n\r\n' not in buf and b'\n\n' not in buf:
            if len(buf) > cap:
                raise Gone()
            buf += self.recv(4096)
        return buf


# ---- TCP behaviours ------------------------------------------------------------------------

def stall(c):
    # A service task that wedged after accept(): the kernel completes the handshake, nobody talks.
    c.drain()


def reset(c):
    # SO_LINGER 0 turns close() into an RST: what a daemon that crashes on accept looks like.
    c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))


def flood(c):
    # A debug or log stream left bound to a TCP port: bytes without end, whoever connects.
    while True:
        c.send(os.urandom(16384))


IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240


def telnet_line(c, state):
    """One line from a telnet client, with option negotiation stripped; bounded to 256 bytes."""
    line = bytearray()
    while True:
        for b in c.recv(512):
            if state['skip']:
                state['skip'] -= 1
                continue
            if state['sb']:
                state['sb'] = not (state['prev'] == IAC and b == SE)
                state['prev'] = b
                continue
            if state['iac']:
                state['iac'] = False
                if b in (DO, DONT, WILL, WONT):
                    state['skip'] = 1
                elif b == SB:
                    state['sb'], state['prev'] = True, 0
                continue
            if b == IAC:
                state['iac'] = True
            elif b in (13, 10):
                if line:
                    return bytes(line)
            elif b and len(line) < 256:
                line.append(b)


def dribble(c, data, delay):
    for i in range(len(data)):
        c.send(data[i:i + 1])
        c.sleep(delay)


def telnet(c):
    # Cheap cameras' telnetd: a slow UART-backed login and, once in, a console that is really a
    # sensor log tail. Any password is "accepted" so a client always reaches the flood.
    c.send(bytes([IAC, WILL, 1, IAC, WILL, 3, IAC, DO, 24, IAC, DO, 31]))
    state = {'skip': 0, 'sb': False, 'prev': 0, 'iac': False}
    dribble(c, b'\r\nIPCam login: ', 0.2)
    telnet_line(c, state)
    dribble(c, b'Password: ', 0.2)
    telnet_line(c, state)
    c.send(b'\r\n')
    i = 0
    while True:
        i += 1
        c.send(b'sensor %08d temperature=21.5 humidity=40 status=ok\r\n' % i)
        c.sleep(0.005)


def ftp(c):
    # A multi-line greeting (RFC 959 "220-") that never reaches its closing "220 " line, as a
    # banner file read in a loop would produce.
    i = 0
    while True:
        i += 1
        c.send(b''.join(b'220-Welcome to the IPCam FTP service, line %d\r\n' % (i * 64 + k)
                        for k in range(64)))


def http_reply(c, status, headers, body=b''):
    head = 'HTTP/1.1 %s\r\n' % status + ''.join('%s: %s\r\n' % h for h in headers)
    c.send(head.encode() + b'Connection: close\r\n\r\n' + body)


def request_path(head):
    try:
        return head.split(b'\r\n', 1)[0].split(b' ')[1].decode('latin-1')
    except IndexError:
        return '/'


def looks_like_text_request(head):
    first = head.split(b'\n', 1)[0]
    return first[:1].isalpha() and (b'HTTP/' in first or b'RTSP/' in first)


def http_redirect(c):
    # A web UI whose login redirect points at itself by another name: every path moves, forever.
    # Same origin on purpose, so a client that follows same-origin redirects keeps following.
    head = c.read_head()
    if not looks_like_text_request(head):
        return
    path = request_path(head)
    n = int(path[5:]) + 1 if path.startswith('/hop/') and path[5:].isdigit() else 1
    host, port = c.sock.getsockname()[:2]
    loc = '/hop/%d' % n if n % 2 else 'http://%s:%d/hop/%d' % (host, port, n)
    http_reply(c, '301 Moved Permanently' if n % 2 else '302 Found',
               [('Location', loc), ('Content-Length', '0')])


def http_digest(c):
    # Digest with stale=true on every answer: "your nonce expired, retry with this one" - forever.
    # Seen on devices whose nonce lifetime is shorter than a round trip (a broken clock).
    head = c.read_head()
    if not looks_like_text_request(head):
        return
    path = request_path(head)
    if path.startswith('/admin'):
        nonce = os.urandom(16).hex()
        http_reply(c, '401 Unauthorized',
                   [('WWW-Authenticate', 'Digest realm="IPCam", qop="auth", nonce="%s", '
                     'opaque="%s", algorithm=MD5, stale=true' % (nonce, os.urandom(8).hex())),
                    ('Content-Length', '0')])
    elif path == '/':
        body = b'<html><a href="/admin">admin</a></html>'
        http_reply(c, '200 OK', [('Content-Type', 'text/html'), ('Content-Length', str(len(body)))],
                   body)
    else:
        http_reply(c, '404 Not Found', [('Content-Length', '0')])


def http_length(c):
    # A Content-Length that does not fit in 64 bits (a firmware printing an uninitialised
    # size), then a few bytes and silence: a client that trusts it waits or allocates for ever.
    head = c.read_head()
    if not looks_like_text_request(head):
        return
    c.send(b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n'
           b'Content-Length: 9999999999999999999\r\n\r\n<html><body>loading')
    c.drain()


def ssh_kex_overrun(c):
    # A banner, then a binary packet whose length field claims 4 GiB: an SSH stack that
    # trusts packet_length allocates it or reads past its buffer.
    c.send(b'SSH-2.0-OpenSSH_7.4 hostile\r\n')
    c.recv(1024)
    c.send(struct.pack('>IB', 0xfffffff0, 4) + bytes([20]) + os.urandom(16) + b'\x00\x00\x00\x40')
    c.drain()


def ssh_endless_banner(c):
    # An identification line that never ends (RFC 4253 caps it at 255 bytes).
    c.send(b'SSH-2.0-')
    while True:
        c.send(b'A' * 1024)
        c.sleep(0.01)


def tls_client_hello(c):
    """(version, first cipher suite) of a ClientHello, or None when it is not one."""
    data = b''
    while len(data) < 5 or len(data) < 5 + struct.unpack('>H', data[3:5])[0]:
        if len(data) > 20000:
            return None
        data += c.recv(4096)
    if data[0] != 0x16 or data[5] != 1:
        return None
    body = data[9:]
    try:
        ver = struct.unpack('>H', body[0:2])[0]
        sid = body[34]
        off = 35 + sid
        suites_len = struct.unpack('>H', body[off:off + 2])[0]
        suites = struct.unpack('>%dH' % (suites_len // 2), body[off + 2:off + 2 + suites_len])
    except (IndexError, struct.error):
        return None
    # the first suite offered that a TLS 1.2 ServerHello may carry (not a 1.3 suite, not an SCSV)
    suite = next((s for s in suites if s >> 8 != 0x13 and s not in (0x00ff, 0x5600)), 0x002f)
    return min(ver, 0x0303), suite


def tls_huge_record(c):
    # A handshake record claiming 0xffff bytes (over the 2^14 plaintext limit), six of them sent.
    if tls_client_hello(c) is None:
        return
    c.send(b'\x16\x03\x03\xff\xff\x02\x00\xff\xfb\x03\x03')
    c.drain()


def tls_drip(c):
    # A well-formed ServerHello, a Certificate and ServerHelloDone, one byte every 10 ms: a TLS
    # stack on an overloaded MCU. The ServerHello arrives within ~0.8 s, so the port is seen as
    # TLS; the whole flight takes ~5 s per connection and every byte restarts a per-read timer:
    # only an absolute deadline ends a client's wait.
    hello = tls_client_hello(c)
    if hello is None:
        return
    ver, suite = hello
    sh = struct.pack('>H', ver) + os.urandom(32) + b'\x20' + os.urandom(32) + \
        struct.pack('>HB', suite, 0)
    der = b'\x30\x82' + struct.pack('>H', 400) + os.urandom(400)    # the shape of a certificate
    cert = struct.pack('>I', len(der))[1:] + der
    cert = struct.pack('>I', len(cert))[1:] + cert
    msgs = b'\x02' + struct.pack('>I', len(sh))[1:] + sh + \
        b'\x0b' + struct.pack('>I', len(cert))[1:] + cert + b'\x0e\x00\x00\x00'
    dribble(c, b'\x16' + struct.pack('>HH', ver, len(msgs)) + msgs, 0.01)
    c.drain()


def mqtt_varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7f, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def mqtt_packet(c):
    """(first byte, body) of one MQTT packet; bodies over 64 KiB end the connection."""
    buf = c.recv(1)
    first = buf[0]
    mult, length = 1, 0
    for _ in range(4):
        b = c.recv(1)[0]
        length += (b & 0x7f) * mult
        mult *= 128
        if not b & 0x80:
            break
    else:
        raise Gone()
    if length > 65536:
        raise Gone()
    body = b''
    while len(body) < length:
        body += c.recv(length - len(body))
    return first, body


def mqtt_connect(c):
    """The protocol level of the client's CONNECT, or None when the first packet is not one."""
    if c.recv(1)[0] != 0x10:
        return None             # a ClientHello or an HTTP request: not a broker's business
    mult, length = 1, 0
    for _ in range(4):
        b = c.recv(1)[0]
        length += (b & 0x7f) * mult
        mult *= 128
        if not b & 0x80:
            break
    if length > 65536:
        return None
    body = b''
    while len(body) < length:
        body += c.recv(length - len(body))
    return body[6] if len(body) > 6 else 4


def mqtt_flood(c):
    # A broker that accepts everyone and, once subscribed, relays a sensor bus with no rate limit.
    level = mqtt_connect(c)
    if level is None:
        return
    c.send(b'\x20\x03\x00\x00\x00' if level == 5 else b'\x20\x02\x00\x00')
    while True:
        first, body = mqtt_packet(c)
        if first >> 4 == 8:         # SUBSCRIBE: grant QoS 0 to every filter, then the flood
            break
        if first >> 4 == 14:        # DISCONNECT
            return
    pid = body[:2]
    c.send(b'\x90' + mqtt_varint(3 if level != 5 else 4) + pid + (b'\x00' if level == 5 else b'')
           + b'\x00')
    i = 0
    while True:
        batch = []
        for _ in range(64):
            i += 1
            topic = b'sensors/%d/value' % (i % 1000)
            body = struct.pack('>H', len(topic)) + topic + (b'\x00' if level == 5 else b'') + \
                b'%d' % i
            batch.append(b'\x30' + mqtt_varint(len(body)) + body)
        c.send(b''.join(batch))


def mqtt_varint_endless(c):
    # A CONNACK whose remaining-length varint keeps its continuation bit set for ever (the spec
    # allows four bytes): a parser without that limit reads, and multiplies, without end.
    if mqtt_connect(c) is None:
        return
    c.send(b'\x20')
    while True:
        c.send(b'\xff' * 1024)
        c.sleep(0.01)


def rtsp(c):
    # An IP camera's RTSP server echoing a corrupted header table: header lines, never the end.
    head = c.read_head()
    if not looks_like_text_request(head):
        return
    c.send(b'RTSP/1.0 200 OK\r\nCSeq: 1\r\n')
    i = 0
    while True:
        i += 1
        c.send(b''.join(b'X-Pad-%d: %s\r\n' % (i * 64 + k, b'x' * 40) for k in range(64)))


TCP = {
    26001: stall, 26002: reset, 26003: flood, 26004: telnet, 26005: ftp,
    26006: http_redirect, 26007: http_digest, 26008: http_length,
    26009: ssh_kex_overrun, 26010: ssh_endless_banner,
    26011: tls_huge_record, 26012: tls_drip,
    26013: mqtt_flood, 26014: mqtt_varint_endless, 26015: rtsp,
}


def serve_conn(sock, behaviour):
    try:
        behaviour(Conn(sock))
    except (Gone, OSError, IndexError, ValueError):
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass
        SLOTS.release()


def tcp_listener(ls, behaviour):
    ls.listen(64)
    ls.settimeout(0.5)
    while not STOP.is_set():
        try:
            sock, _ = ls.accept()
        except socket.timeout:
            continue
        except OSError:
            break
        if not SLOTS.acquire(blocking=False):
            sock.close()            # too many at once: the bound on our own threads
            continue
        threading.Thread(target=serve_conn, args=(sock, behaviour), daemon=True).start()
    ls.close()


# ---- UDP behaviours ------------------------------------------------------------------------

def udp_flood(data):
    # A discovery responder that answers every probe from every interface and every
    # service instance: one question, a burst of replies.
    return [os.urandom(random.randint(64, 1200)) for _ in range(BURST)]


LINKS = b','.join(b'</sensors/s%03d>;rt="temperature";if="sensor"' % i for i in range(200))


def coap(data):
    # Block-wise transfer (RFC 7959) in which every block says "more": a client that follows
    # Block2 to the end of the resource never gets there. Block size 64 (SZX 2).
    if len(data) < 4 or data[0] >> 6 != 1:
        return []
    tkl = data[0] & 0x0f
    mtype, code, mid, token = (data[0] >> 4) & 3, data[1], data[2:4], data[4:4 + tkl]
    if code != 1:       # not a GET
        return []
    num, path, opt, i = 0, [], 0, 4 + tkl
    while i < len(data) and data[i] != 0xff:
        delta, length = data[i] >> 4, data[i] & 0x0f
        i += 1
        if delta == 13:
            delta, i = data[i] + 13, i + 1
        elif delta == 14:
            delta, i = struct.unpack('>H', data[i:i + 2])[0] + 269, i + 2
        if length == 13:
            length, i = data[i] + 13, i + 1
        elif length == 14:
            length, i = struct.unpack('>H', data[i:i + 2])[0] + 269, i + 2
        opt += delta
        val = data[i:i + length]
        i += length
        if opt == 11:
            path.append(val)
        elif opt == 23:
            num = int.from_bytes(val, 'big') >> 4 if val else 0
    size = 64
    chunk = (LINKS * (num // (len(LINKS) // size) + 2))[num * size % len(LINKS):][:size]
    block = (num << 4) | 0x08 | 2           # NUM, M=1, SZX=2 (64 bytes)
    bval = block.to_bytes(3 if num >= 4096 else 2 if num >= 16 else 1, 'big')
    opts = b'\xc1\x28'                       # Content-Format (12) = 40, link-format
    opts += bytes([(23 - 12) << 4 | len(bval)]) + bval
    rtype = 2 if mtype == 0 else 1           # ACK to a CON, NON to a NON
    return [bytes([0x40 | rtype << 4 | tkl, 0x45]) + mid + token + opts + b'\xff' + chunk]


def ber_tlv(tag, value):
    n = len(value)
    if n < 0x80:
        return bytes([tag, n]) + value
    return bytes([tag, 0x82]) + struct.pack('>H', n) + value


def ber_read(data, i):
    """(tag, value, next index) of a definite-length TLV at i; ValueError when malformed."""
    tag, first = data[i], data[i + 1]
    i += 2
    if first & 0x80:
        k = first & 0x7f
        if not 0 < k <= 2:
            raise ValueError()
        n, i = int.from_bytes(data[i:i + k], 'big'), i + k
    else:
        n = first
    if i + n > len(data):
        raise ValueError()
    return tag, data[i:i + n], i + n


SNMP_TURN = [0]


def snmp(data):
    # An agent with a broken BER encoder: the reply echoes the request id (so it is "ours"), but
    # a length is wrong. Four defects in turn, one per request.
    try:
        _, msg, _ = ber_read(data, 0)
        _, ver, i = ber_read(msg, 0)
        _, community, i = ber_read(msg, i)
        _, pdu, _ = ber_read(msg, i)
        _, reqid, _ = ber_read(pdu, 0)
    except (ValueError, IndexError):
        return []
    oid = b'\x2b\x06\x01\x02\x01\x01\x01\x00'
    value = b'Linux ipcam 3.10.14 #1 armv7l'
    varbind = ber_tlv(0x30, ber_tlv(0x06, oid) + ber_tlv(0x04, value))
    pdu_body = ber_tlv(0x02, reqid) + b'\x02\x01\x00\x02\x01\x00' + ber_tlv(0x30, varbind)
    head = ber_tlv(0x02, ver) + ber_tlv(0x04, community)
    turn = SNMP_TURN[0] % 4
    SNMP_TURN[0] += 1
    if turn == 0:       # the outer SEQUENCE claims 4 GiB
        body = head + ber_tlv(0xa2, pdu_body)
        return [b'\x30\x84\xff\xff\xff\xf0' + body]
    if turn == 1:       # the value claims 65535 bytes inside a well-formed outer SEQUENCE
        bad_vb = ber_tlv(0x06, oid) + b'\x04\x82\xff\xff' + value
        bad_pdu = ber_tlv(0x02, reqid) + b'\x02\x01\x00\x02\x01\x00' + \
            ber_tlv(0x30, ber_tlv(0x30, bad_vb))
        return [ber_tlv(0x30, head + ber_tlv(0xa2, bad_pdu))]
    if turn == 2:       # nine length octets: more than any 64-bit length can hold
        return [b'\x30\x89' + b'\xff' * 9 + head + ber_tlv(0xa2, pdu_body)]
    # the indefinite form (0x80), forbidden in SNMP's DER-like BER, and never terminated
    return [b'\x30\x80' + head + b'\xa2\x80' + pdu_body]


UDP = {1900: udp_flood, 5683: coap, 161: snmp}


def udp_listener(s, behaviour):
    s.settimeout(0.5)
    while not STOP.is_set():
        try:
            data, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        except OSError:
            break
        try:
            replies = behaviour(data)
        except (ValueError, IndexError, struct.error):
            replies = []
        for reply in replies[:BURST]:
            try:
                s.sendto(reply, peer)
            except OSError:
                break       # the client's port is gone (ICMP unreachable): stop this burst
    s.close()


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: hostile.py ADDRESS')
    addr = sys.argv[1]
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: STOP.set())
    # Bind everything first, so a busy port is one clear error before anything is served.
    threads = []
    for kind, table, target in ((socket.SOCK_STREAM, TCP, tcp_listener),
                                (socket.SOCK_DGRAM, UDP, udp_listener)):
        for port, behaviour in table.items():
            sock = socket.socket(socket.AF_INET, kind)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((addr, port))
            except OSError as e:
                sys.exit('hostile.py: %s %s:%d: %s' % (
                    'tcp' if kind == socket.SOCK_STREAM else 'udp', addr, port, e.strerror))
            threads.append(threading.Thread(target=target, args=(sock, behaviour), daemon=True))
    for t in threads:
        t.start()
    while not STOP.wait(0.5):
        if not all(t.is_alive() for t in threads):
            sys.exit('hostile.py: a listener died (port busy?)')
    for t in threads:
        t.join(2)


if __name__ == '__main__':
    main()
