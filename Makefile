# starprobe — `make` builds ./starprobe; `make check` runs every test;
# `make demo` assesses the bundled weak reference device; `make bench`
# compares it with nmap, testssl.sh, ssh-audit and hydra. `make deps` installs
# what a fresh Debian 12 machine lacks (as root; the list is tests/deps.txt),
# and every goal that needs packages calls it first.

PREFIX  ?= /usr/local
DESTDIR ?=
DATADIR  = $(PREFIX)/share/starprobe
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CPPFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Iharness -Iprobes -Iprobes/proto -Iprobes/wire -Ireports
CPPFLAGS_SP = $(CPPFLAGS_BASE) -DSP_DATADIR='"$(DATADIR)"'
# libcoap 3, OpenSSL build (probes/proto/coap_client.c); asked of pkg-config once.
COAP_LIBS := $(shell pkg-config --libs libcoap-3-openssl 2>/dev/null || echo -lcoap-3-openssl)
LIBS = -lyaml -lcjson -lmbedtls -lmbedx509 -lmbedcrypto -lssh -lssl -lcrypto -lpthread -lpaho-mqtt3cs \
       $(COAP_LIBS)

# What to install comes from tests/deps.txt, the one list of packages: the build's always, the
# tests' for check/integration/demo, the bench's and the fuzzers' for those goals.
DEPS_GOALS = build \
  $(if $(filter check integration demo deps,$(MAKECMDGOALS)),test) \
  $(if $(filter bench,$(MAKECMDGOALS)),test bench) \
  $(if $(filter fuzz fuzz-build,$(MAKECMDGOALS)),fuzz)
INTEGRATION = cli update ssh tls unauth kinds upnp e2e report creds forms crash hostile traps compare robust tamper profiles rules

SRC_LIB  = $(filter-out harness/main.c,$(wildcard harness/*.c)) \
           $(wildcard probes/*.c) $(wildcard probes/proto/*.c) $(wildcard probes/wire/*.c) $(wildcard reports/*.c)
SRC_UNIT = $(wildcard tests/unit/*.c)
HDRS     = $(wildcard harness/*.h probes/*.h probes/proto/*.h probes/wire/*.h reports/*.h)

OBJ      = $(SRC_LIB:%.c=build/%.o)
OBJ_ASAN = $(SRC_LIB:%.c=build/asan/%.o)
# A test build: the same code with SP_TEST_HOOKS, which honours environment variables that inject
# faults (a crashing gatherer, a stalled report write), and finds its profiles in this tree.
# Never installed.
OBJ_HOOKS = $(SRC_LIB:%.c=build/hooks/%.o) build/hooks/harness/main.o

all: deps
	@$(MAKE) --no-print-directory starprobe

# The data directory is compiled in: rebuild what uses it when PREFIX changes.
build/datadir.stamp: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
build/harness/main.o build/harness/profile.o build/asan/harness/main.o build/asan/harness/profile.o \
  build/hooks/harness/main.o build/hooks/harness/profile.o: build/datadir.stamp

.PHONY: FORCE all deps check unit unit-asan integration demo bench install uninstall clean fuzz fuzz-build

# Installs only what is missing (tests/deps.txt); does nothing on a machine that has it all.
deps:
	@tests/deps.sh install $(DEPS_GOALS)

starprobe: $(OBJ) build/harness/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_SP) $(CFLAGS) $(WARN) -c -o $@ $<

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_SP) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(WARN) -c -o $@ $<

build/hooks/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_BASE) -DSP_DATADIR='"$(CURDIR)"' -O1 -g -DSP_TEST_HOOKS $(WARN) -c -o $@ $<

build/starprobe-testhooks: $(OBJ_HOOKS)
	$(CC) -o $@ $^ $(LIBS)

build/unit: $(OBJ) $(SRC_UNIT) $(HDRS)
	$(CC) $(CPPFLAGS_SP) $(CFLAGS) $(WARN) -Itests/unit -o $@ $(SRC_UNIT) $(OBJ) $(LIBS) -lcunit

build/unit-asan: $(OBJ_ASAN) $(SRC_UNIT) $(HDRS)
	$(CC) $(CPPFLAGS_SP) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(WARN) \
	  -Itests/unit -o $@ $(SRC_UNIT) $(OBJ_ASAN) $(LIBS) -lcunit

unit: build/unit
	cd tests/unit && ../../build/unit

unit-asan: build/unit-asan
	cd tests/unit && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  ../../build/unit-asan

# Every script runs even after one fails; each prints its own count, and the total comes last.
integration: starprobe build/starprobe-testhooks
	@tests/integration/all.sh ./starprobe $(INTEGRATION)

# The install is proven before anything runs: a test that calls a program no package in
# tests/deps.txt provides fails here, by name, and not as an empty answer deep in a script.
# Every step runs even after one fails; check fails at the end if any did.
check: deps
	@tests/deps.sh verify build test
	$(MAKE) starprobe
	@rc=0; failed=""; \
	for step in unit integration unit-asan; do \
	  $(MAKE) --no-print-directory $$step || { rc=1; failed="$$failed $$step"; }; \
	done; \
	if [ $$rc = 0 ]; then echo "make check: unit, integration and unit-asan passed"; \
	else echo "make check: FAILED:$$failed" >&2; fi; \
	exit $$rc

demo: deps starprobe
	./starprobe demo

bench: deps starprobe
	tests/bench/bench.sh ./starprobe

# The stateful targets play the device through real sockets: with SP_FUZZ_NET, net_tcp_connect and
# net_udp_open hand out socketpairs that tests/fuzz/net_fuzz.c fills with the fuzzer's bytes. Only
# these binaries are built with it.
FUZZ_NET = -DSP_FUZZ_NET -Itests/fuzz
# The pure wire code and what it needs: every single-reply target links all of it.
WIRE_SRC = $(wildcard probes/wire/*.c) harness/util.c harness/rxbuf.c
# Wire files fuzzed by tests/fuzz/fuzz_wire.c, one binary each; the others have targets of their own
# (tls: fuzz_tls; ssh: fuzz_ssh; http, coap, mqtt, ftp, telnet: fuzz_unauth; rtsp, vnc, adb, tftp:
# fuzz_kinds; every matcher: fuzz_ident). The facts' JSON form and the worker's state: fuzz_facts.
FUZZ_WIRE = dns dhcp ntp snmp ike ssdp upnp onvif wsd wire robust upload banner

# The fuzz targets, built with clang; `make fuzz` builds and runs each for FUZZ_SECONDS (60).
fuzz-build: deps
	@mkdir -p build
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_ident \
	  tests/fuzz/fuzz_ident.c probes/ident.c $(WIRE_SRC) $(LIBS)
	for w in $(FUZZ_WIRE); do \
	  clang $(CPPFLAGS_SP) -DWIRE_$$w -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_wire_$$w \
	    tests/fuzz/fuzz_wire.c $(WIRE_SRC) $(LIBS) || exit 1; \
	done
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_yaml \
	  tests/fuzz/fuzz_yaml.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_ssh \
	  tests/fuzz/fuzz_ssh.c $(WIRE_SRC) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_tls \
	  tests/fuzz/fuzz_tls.c $(WIRE_SRC) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_unauth \
	  tests/fuzz/fuzz_unauth.c $(WIRE_SRC) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_kinds \
	  tests/fuzz/fuzz_kinds.c $(WIRE_SRC) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_html_form \
	  tests/fuzz/fuzz_html_form.c $(WIRE_SRC) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_facts \
	  tests/fuzz/fuzz_facts.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_login \
	  tests/fuzz/fuzz_login.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_telnet_session \
	  tests/fuzz/fuzz_telnet_session.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) $(FUZZ_NET) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_session \
	  tests/fuzz/fuzz_session.c tests/fuzz/net_fuzz.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) $(FUZZ_NET) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_tls_session \
	  tests/fuzz/fuzz_tls_session.c tests/fuzz/net_fuzz.c $(SRC_LIB) $(LIBS)

fuzz: fuzz-build
	build/fuzz_ident -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_tls -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_unauth -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_kinds -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_yaml -max_total_time=$${FUZZ_SECONDS:-60}
	mkdir -p build/fuzz_facts_corpus && cp tests/fuzz/facts/*.json build/fuzz_facts_corpus/
	build/fuzz_facts -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_facts_corpus
	for w in $(FUZZ_WIRE); do build/fuzz_wire_$$w -max_total_time=$${FUZZ_SECONDS:-60} || exit 1; done
	mkdir -p build/fuzz_ssh_corpus && cp tests/unit/data/ssh/*.bin build/fuzz_ssh_corpus/
	build/fuzz_ssh -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_ssh_corpus
	build/fuzz_login -max_total_time=$${FUZZ_SECONDS:-60}
	mkdir -p build/fuzz_html_form_corpus && cp tests/fuzz/html_form/*.html build/fuzz_html_form_corpus/
	build/fuzz_html_form -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_html_form_corpus
	mkdir -p build/fuzz_telnet_session_corpus && cp tests/fuzz/telnet_session/*.bin build/fuzz_telnet_session_corpus/
	build/fuzz_telnet_session -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_telnet_session_corpus
	mkdir -p build/fuzz_session_corpus && cp tests/fuzz/session/*.bin build/fuzz_session_corpus/
	build/fuzz_session -max_total_time=$${FUZZ_SECONDS:-60} -timeout=10 build/fuzz_session_corpus
	mkdir -p build/fuzz_tls_session_corpus && cp tests/fuzz/tls_session/*.bin build/fuzz_tls_session_corpus/
	build/fuzz_tls_session -max_total_time=$${FUZZ_SECONDS:-60} -timeout=10 build/fuzz_tls_session_corpus

install: starprobe
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(DATADIR)/testbed \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 starprobe $(DESTDIR)$(PREFIX)/bin/starprobe
	install -m 644 profiles/*.yaml $(DESTDIR)$(DATADIR)/profiles/
	cp -R tests/testbed/. $(DESTDIR)$(DATADIR)/testbed/
	install -m 644 docs/starprobe.1 $(DESTDIR)$(PREFIX)/share/man/man1/starprobe.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/starprobe $(DESTDIR)$(PREFIX)/share/man/man1/starprobe.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build starprobe
