/*
 * net_fuzz.h - the socket shim of the stateful fuzz targets. Built only into
 * fuzz binaries, with harness/net.c compiled under SP_FUZZ_NET: then every
 * net_tcp_connect and net_udp_open a probe makes returns one end of an
 * AF_UNIX socketpair (SOCK_STREAM for TCP, SOCK_DGRAM for UDP), and a feeder
 * thread plays the device on the other end with the fuzzer's bytes. The
 * fuzzer chooses what each connection says, how it is cut into reads, and
 * whether the device closes, holds the connection open, or refuses it.
 *
 * Script layout (what net_fuzz_begin is given): connection records in the
 * order the probe opens connections, separated by NET_FUZZ_SEP. A connect
 * after the last record is refused. Each record is
 *
 *   byte 0    flags: bit 0 holds the connection open after the payload (the
 *             probe then ends at its deadline, or when it closes); bit 1
 *             lockstep: each chunk waits (at most 20 ms) until the probe has
 *             sent something since the previous chunk, so replies follow
 *             requests; the first wait that times out ends lockstep for this
 *             connection; bits 2-4 repeat the payload 1-8 times; bits 5-6:
 *             1 the connect is refused, 2 it times out, else it succeeds
 *   byte 1    k = byte % 16 chunk sizes follow (none: the payload in one write)
 *   k bytes   chunk sizes, used in turn: b < 128 gives b + 1 bytes, else
 *             (b - 128) * 32 + 1; on UDP each chunk is one datagram
 *   the rest  what the device sends
 *
 * The first 64 chunks of a connection are each written once the probe has
 * read the one before (or 5 ms passed), so they arrive as reads of their own;
 * later ones are written back to back. A stream the device does not hold is
 * shut down for writing after the payload (the probe reads end of file); a
 * datagram socket is closed (the probe's next send is refused, as after an
 * ICMP port unreachable).
 *
 * getrandom is replaced while a script runs: it returns NET_FUZZ_RANDOM_BYTE
 * for every byte, so the values a device must echo (an SNMP request-id, the
 * telnet login marker, CoAP and MQTT ids) are the same in every run and a
 * fuzzer, or a seed written by hand, can echo them. Outside a script it is
 * the kernel's.
 */
#ifndef SP_NET_FUZZ_H
#define SP_NET_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define NET_FUZZ_SEP "~~next~~"
#define NET_FUZZ_SEP_LEN 8
#define NET_FUZZ_RANDOM_BYTE 0x21

/* Flag bits of a connection record. */
#define NET_FUZZ_HOLD 0x01
#define NET_FUZZ_LOCKSTEP 0x02
#define NET_FUZZ_REPEAT(n) ((((n) - 1) & 7) << 2)
#define NET_FUZZ_REFUSE (1 << 5)
#define NET_FUZZ_TIMEOUT (2 << 5)

/* Start an input: the connections the probe opens from now on follow script (kept, not copied). */
void net_fuzz_begin(const uint8_t *script, size_t len);

/*
 * End the input: stop the feeders and close the device ends. Returns how many
 * of the sockets handed to the probe it left open (an fd leak), and in
 * *conns (may be NULL) how many connections it opened.
 */
int net_fuzz_end(size_t *conns);

#endif
