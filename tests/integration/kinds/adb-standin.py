#!/usr/bin/env python3
"""adb-standin.py - a stand-in for adbd (Debian has no adbd: the daemon runs on Android devices
only; Debian's adb package is the host side). It answers the first message of each connection the
way adbd does (system/core/adb/protocol.txt), and nothing more:

    adb-standin.py ADDR PORT open   CNXN back with a device banner: what adbd with
                                    ro.adb.secure=0 does (a shell for anyone)
    adb-standin.py ADDR PORT auth   AUTH TOKEN (type 1) with a 20-byte random token: what adbd
                                    with ro.adb.secure=1 does for a host whose key it never accepted
"""
import os
import socket
import struct
import sys
import threading

A_CNXN, A_AUTH = 0x4e584e43, 0x48545541


def message(cmd, arg0, arg1, data):
    return struct.pack('<6I', cmd, arg0, arg1, len(data), sum(data) & 0xffffffff,
                       cmd ^ 0xffffffff) + data


def serve(conn, mode):
    with conn:
        conn.settimeout(5)
        head = b''
        while len(head) < 24:
            part = conn.recv(24 - len(head))
            if not part:
                return
            head += part
        cmd, _, _, dlen, _, magic = struct.unpack('<6I', head)
        if cmd != A_CNXN or magic != cmd ^ 0xffffffff or dlen > 4096:
            return
        while dlen > 0:
            part = conn.recv(dlen)
            if not part:
                return
            dlen -= len(part)
        if mode == 'open':
            banner = b'device::ro.product.name=sp_kinds;ro.product.model=StandIn;ro.product.device=sp;\0'
            conn.sendall(message(A_CNXN, 0x01000000, 256 * 1024, banner))
        else:
            conn.sendall(message(A_AUTH, 1, 0, os.urandom(20)))
        try:
            conn.recv(4096)     # the host's AUTH SIGNATURE, or nothing; the connection then ends
        except OSError:
            pass


def main():
    addr, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == '__main__':
    main()
