# starprobe — `make` builds ./starprobe; `make check` runs every test;
# `make demo` assesses the bundled weak reference device; `make bench`
# compares the scan with nmap. `make deps` installs what a fresh Debian 12
# machine lacks (as root), and `make`/`make check` call it first.

PREFIX  ?= /usr/local
DESTDIR ?=
DATADIR  = $(PREFIX)/share/starprobe
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CPPFLAGS_SP = -std=c11 -D_GNU_SOURCE -Iharness -Iprobes -Ireports \
              -DSP_DATADIR='"$(DATADIR)"'
LIBS = -lyaml -lcjson -lmbedtls -lmbedx509 -lmbedcrypto -lssh -lssl -lcrypto -lpthread -lpaho-mqtt3cs

BUILD_DEPS = gcc make pkg-config libyaml-dev libcjson-dev libmbedtls-dev libssh-dev \
             libcoap3-dev libpaho-mqtt-dev libcunit1-dev libssl-dev
TEST_DEPS = clang jq nmap iproute2 procps openssl libxml2-utils dropbear-bin ssh-audit python3 vsftpd snmpd lighttpd \
             $(shell cat tests/testbed/deps.txt 2>/dev/null)
BENCH_DEPS = nmap time testssl.sh ssh-audit

SRC_LIB  = $(filter-out harness/main.c,$(wildcard harness/*.c)) \
           $(wildcard probes/*.c) $(wildcard reports/*.c)
SRC_UNIT = $(wildcard tests/unit/*.c)
HDRS     = $(wildcard harness/*.h probes/*.h reports/*.h)

OBJ      = $(SRC_LIB:%.c=build/%.o)
OBJ_ASAN = $(SRC_LIB:%.c=build/asan/%.o)

# The data directory is compiled in: rebuild what uses it when PREFIX changes.
build/datadir.stamp: FORCE
	@mkdir -p build
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
build/harness/main.o build/harness/profile.o build/asan/harness/main.o build/asan/harness/profile.o: build/datadir.stamp

.PHONY: FORCE all deps check unit unit-asan integration demo bench install uninstall clean fuzz

all: deps starprobe

# Installs only what is missing; does nothing on a machine that has it all.
deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(BUILD_DEPS) $(if $(filter check integration demo bench,$(MAKECMDGOALS)),$(TEST_DEPS)) \
	           $(if $(filter bench,$(MAKECMDGOALS)),$(BENCH_DEPS)); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:$$missing" >&2; exit 1; fi; \
	  apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing >/dev/null || exit 1; \
	fi

starprobe: $(OBJ) build/harness/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

build/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_SP) $(CFLAGS) $(WARN) -c -o $@ $<

build/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_SP) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer $(WARN) -c -o $@ $<

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

integration: starprobe
	tests/integration/cli.sh ./starprobe
	tests/integration/update.sh ./starprobe
	tests/integration/ssh.sh ./starprobe
	tests/integration/tls.sh ./starprobe
	tests/integration/unauth.sh ./starprobe
	tests/integration/e2e.sh ./starprobe
	tests/integration/creds.sh ./starprobe

check: deps
	$(MAKE) starprobe
	$(MAKE) unit
	$(MAKE) integration
	$(MAKE) unit-asan

demo: deps starprobe
	./starprobe demo

bench: deps starprobe
	tests/bench/bench.sh ./starprobe

fuzz:
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_ident \
	  tests/fuzz/fuzz_ident.c probes/ident.c probes/tlswire.c harness/util.c $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_yaml \
	  tests/fuzz/fuzz_yaml.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_ssh \
	  tests/fuzz/fuzz_ssh.c probes/ssh_wire.c harness/util.c $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_tls \
	  tests/fuzz/fuzz_tls.c probes/tlswire.c harness/util.c $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_unauth \
	  tests/fuzz/fuzz_unauth.c probes/http_wire.c probes/coap_wire.c probes/mqtt_wire.c \
	  probes/unauth_wire.c harness/rxbuf.c harness/util.c $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_login \
	  tests/fuzz/fuzz_login.c $(SRC_LIB) $(LIBS)
	clang $(CPPFLAGS_SP) -g -O1 -fsanitize=fuzzer,address,undefined -o build/fuzz_telnet_session \
	  tests/fuzz/fuzz_telnet_session.c $(SRC_LIB) $(LIBS)
	build/fuzz_ident -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_tls -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_unauth -max_total_time=$${FUZZ_SECONDS:-60}
	build/fuzz_yaml -max_total_time=$${FUZZ_SECONDS:-60}
	mkdir -p build/fuzz_ssh_corpus && cp tests/unit/data/ssh/*.bin build/fuzz_ssh_corpus/
	build/fuzz_ssh -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_ssh_corpus
	build/fuzz_login -max_total_time=$${FUZZ_SECONDS:-60}
	mkdir -p build/fuzz_telnet_session_corpus && cp tests/fuzz/telnet_session/*.bin build/fuzz_telnet_session_corpus/
	build/fuzz_telnet_session -max_total_time=$${FUZZ_SECONDS:-60} build/fuzz_telnet_session_corpus

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
