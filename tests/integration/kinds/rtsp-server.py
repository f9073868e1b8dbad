#!/usr/bin/python3
"""rtsp-server.py - a real RTSP server for tests/integration/kinds.sh: GStreamer's RTSP server
library (gst-rtsp-server, Debian's gir1.2-gst-rtsp-server-1.0) serving one live audio test stream
(audiotestsrc, L16 over RTP) at MOUNT. live555MediaServer is not in Debian 12's main archive; this
is the server library most Linux cameras' RTSP stacks are built on, run unchanged.

    rtsp-server.py ADDR PORT MOUNT open          DESCRIBE without credentials gets the SDP
    rtsp-server.py ADDR PORT MOUNT basic U:P     every request needs Basic U:P (401 without)

Uses Debian's python3 (/usr/bin/python3), where python3-gi lives.
"""
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    addr, port, mount, mode = sys.argv[1:5]
    Gst.init(None)
    srv = GstRtspServer.RTSPServer()
    srv.set_address(addr)
    srv.set_service(port)
    fac = GstRtspServer.RTSPMediaFactory()
    fac.set_launch('( audiotestsrc is-live=true ! audioconvert ! rtpL16pay name=pay0 pt=96 )')
    fac.set_shared(True)
    if mode == 'basic':
        user, pw = sys.argv[5].split(':', 1)
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string('media.factory.role', 'viewer')
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, pw), token)
        srv.set_auth(auth)
        fac.add_role_from_structure(Gst.Structure.from_string(
            'viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0])
    srv.get_mount_points().add_factory(mount, fac)
    if srv.attach(None) == 0:
        sys.exit('cannot listen on %s:%s' % (addr, port))
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
