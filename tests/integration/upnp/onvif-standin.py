#!/usr/bin/env python3
"""onvif-standin.py - a stand-in for an ONVIF camera's device service, for tests/integration/upnp.sh.

Debian has no ONVIF server (the ONVIF Device Test Tool and the camera firmwares are not packaged), so
this plays the one part starprobe asks: SOAP 1.2 POSTs to /onvif/device_service on a plain web
server. Two flavours:
  open        answers GetDeviceInformation and GetUsers to anyone, as a camera with its
              authentication switched off does (ONVIF Core §5.12: the user list is READ_SYSTEM_SECRET)
  protected   answers every action that carries no WS-Security UsernameToken with HTTP 400 and the
              SOAP fault env:Sender / ter:NotAuthorized that ONVIF Core §5.11.2.2 prescribes
GET / serves a small page and every other path is 404, as a camera's web UI would.

Usage: onvif-standin.py ADDR PORT open|protected
"""
import http.server
import re
import socketserver
import sys

ADDR, PORT, MODE = sys.argv[1], int(sys.argv[2]), sys.argv[3]

ENV = ('<?xml version="1.0" encoding="UTF-8"?>'
       '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
       'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" '
       'xmlns:ter="http://www.onvif.org/ver10/error"><env:Body>%s</env:Body></env:Envelope>')

ANSWERS = {
    'GetDeviceInformation': '<tds:GetDeviceInformationResponse><tds:Manufacturer>SP-Cam</tds:Manufacturer>'
                            '<tds:Model>IPC-18</tds:Model><tds:FirmwareVersion>V5.4.0</tds:FirmwareVersion>'
                            '<tds:SerialNumber>SP18-0042</tds:SerialNumber><tds:HardwareId>HW1</tds:HardwareId>'
                            '</tds:GetDeviceInformationResponse>',
    'GetUsers': '<tds:GetUsersResponse><tds:User><tt:Username>admin</tt:Username>'
                '<tt:UserLevel>Administrator</tt:UserLevel></tds:User><tds:User><tt:Username>viewer'
                '</tt:Username><tt:UserLevel>User</tt:UserLevel></tds:User></tds:GetUsersResponse>',
}

FAULT = ('<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized'
         '</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">Sender not Authorized'
         '</env:Text></env:Reason></env:Fault>')

ACTION_NOT_SUPPORTED = ('<env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>'
                        'ter:ActionNotSupported</env:Value></env:Subcode></env:Code><env:Reason>'
                        '<env:Text xml:lang="en">Optional Action Not Implemented</env:Text></env:Reason>'
                        '</env:Fault>')


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def send(self, code, ctype, body):
        data = body.encode()
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(data)))
        self.send_header('Connection', 'close')
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def do_GET(self):
        if self.path == '/':
            self.send(200, 'text/html', '<html><head><title>SP-Cam</title></head><body>live view</body></html>')
        else:
            self.send(404, 'text/html', '<html>not found</html>')

    def do_POST(self):
        n = min(int(self.headers.get('Content-Length', '0') or 0), 65536)
        body = self.rfile.read(n).decode('utf-8', 'replace')
        if self.path != '/onvif/device_service':
            self.send(404, 'text/html', '<html>not found</html>')
            return
        m = re.search(r'<(?:\w+:)?Body>\s*<(?:\w+:)?(\w+)', body)
        action = m.group(1) if m else ''
        secured = 'UsernameToken' in body
        ctype = 'application/soap+xml; charset=utf-8'
        if MODE == 'protected' and not secured:
            self.send(400, ctype, ENV % FAULT)
        elif action in ANSWERS:
            self.send(200, ctype, ENV % ANSWERS[action])
        else:
            self.send(400, ctype, ENV % ACTION_NOT_SUPPORTED)

    def log_message(self, fmt, *args):
        sys.stderr.write('%s %s\n' % (self.command, self.path))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


Server((ADDR, PORT), Handler).serve_forever()
