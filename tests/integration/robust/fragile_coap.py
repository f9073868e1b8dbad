#!/usr/bin/env python3
# fragile_coap.py ADDR PORT - a CoAP server that dies on one malformed message, for robust.sh.
#
# A Python stand-in: Debian's coap-server answers bad options with a reset, as it should. This one
# answers a well-formed request with a piggybacked 2.05 Content (its message id and token echoed, as
# RFC 7252 asks) and exits the whole process, closing the port, when an option byte has delta 15 but
# is not the payload marker (§3.1 calls that a message format error): the option parser of a device
# that indexes a table with the delta.
import socket
import sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    msg, peer = s.recvfrom(2048)
    if len(msg) < 4 or msg[0] >> 6 != 1:
        continue
    tkl = msg[0] & 15
    if tkl > 8:
        continue
    i = 4 + tkl
    while i < len(msg) and msg[i] != 0xFF:
        delta, length = msg[i] >> 4, msg[i] & 15
        if delta == 15:
            sys.stderr.write("fragile_coap: option delta 15, crashing\n")
            sys.stderr.flush()
            sys.exit(3)
        i += 1 + (1 if delta == 13 else 2 if delta == 14 else 0)
        i += (msg[i] + 13 if length == 13 and i < len(msg) else length) + (1 if length == 13 else 0)
    reply = bytes([0x60 | tkl, 0x45]) + msg[2:4] + msg[4:4 + tkl] + b"\xff</sensor>"
    s.sendto(reply, peer)
