# tracuu: build the library, the programs and the tests.
#   make             builds bin/indexer, bin/query, bin/searchd; names the Debian packages
#                    to install when a build dependency is missing, and stops
#   make check       installs what the build and the tests need, builds, then runs every
#                    test: the Check suites, the scripts of tests/, the browser test, the
#                    Check suites again under AddressSanitizer and UBSan, and each libFuzzer
#                    harness for CHECK_FUZZ_SECONDS (20)
#   make check-asan  only the sanitizer run
#   make demo        installs the build and run-time dependencies, builds, indexes corpus/
#                    into index/, runs an example query, serves :8080
#   make deps        only the dependencies, test tools included (tools/deps; silent when
#                    all are there, fails with apt's message when an installation fails)
#   make install     the programs as tracuu-index, tracuu-query, tracuu-searchd, their man
#                    pages, bash completion, systemd units, cron file, sysusers.d and
#                    tmpfiles.d entries, the configuration file (PREFIX, DESTDIR); make uninstall
#   make golden-update  rewrites tests/expected/ from today's parser (review the diff)
# CFLAGS, CXXFLAGS, CPPFLAGS and LDFLAGS from the environment or the command line come
# after the build's own (e.g. those of dpkg-buildflags).

VERSION := $(shell cat VERSION)
PKGS = icu-uc icu-i18n jansson zlib libzstd libical libmicrohttpd poppler-glib cairo tesseract lept libzip libxml-2.0 libcrypt

CC ?= cc
CXX ?= g++
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE -DTC_VERSION='"$(VERSION)"' $(OPT) $(WARN) -MMD -MP $(INCLUDES) \
             $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS) $(CPPFLAGS) $(CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) -Wall -Wextra -MMD -MP $(INCLUDES) $(shell pkg-config --cflags xapian-core) \
               $(EXTRA_CFLAGS) $(CPPFLAGS) $(CXXFLAGS)
LDFLAGS_ALL = $(OPT) $(LDFLAGS)
LIBS = $(shell pkg-config --libs xapian-core $(PKGS)) -lcsv -lgomp -lpthread $(EXTRA_LDFLAGS)
TEST_LIBS = $(shell pkg-config --libs check libcurl fontconfig)

BUILD = build
BIN = bin
# lib/ holds one folder per stage of the pipeline (base, extract, text,
# record, index, search, output); a file includes its own stage's headers and those
# of the stages below, named with their folder ("text/fold.h").  The
# programs see the public API alone.
INCLUDES = -Iinclude -Ilib
LIB_C = $(sort $(shell find lib -name '*.c'))
$(BUILD)/indexer/%.o $(BUILD)/query/%.o $(BUILD)/searchd/%.o $(BUILD)/passwd/%.o: INCLUDES = -Iinclude
LIB_OBJ = $(LIB_C:%.c=$(BUILD)/%.o) $(BUILD)/lib/index/xapian_wrap.o
LIB_A = $(BUILD)/libtracuu.a
PROGRAMS = $(BIN)/indexer $(BIN)/query $(BIN)/searchd $(BIN)/passwd
ASSETS = $(sort $(wildcard searchd/assets/*))
TESTS_C = $(wildcard tests/check_*.c)
TESTS = $(TESTS_C:tests/%.c=$(BUILD)/tests/%)

.PHONY: FORCE contrib-files all check check-asan deps deps-build deps-check programs tests demo install uninstall clean golden-update
.DEFAULT_GOAL := all

all: deps-check
	@$(MAKE) --no-print-directory programs

check: deps
	@$(MAKE) --no-print-directory programs tests
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	@tests/run-all tests/layering $(TESTS) $(TEST_SCRIPTS) tests/browser/run
	@$(MAKE) --no-print-directory check-asan

# The tests come with their own indexer, bin/indexer-killable (see below).
tests: $(TESTS) $(BIN)/indexer-killable
TEST_SCRIPTS = tests/docs tests/install tests/units tests/hardening tests/backup

# Each libFuzzer harness runs this long in make check (fuzz/fuzz.mk).
CHECK_FUZZ_SECONDS ?= 20

# The Check suites again, built with AddressSanitizer and UBSan into
# build/asan, run from a folder whose bin/ holds the instrumented programs.
ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/bin OPT="-O1 -g" \
	  EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" programs tests
	@mkdir -p build/asan/root && cd build/asan/root && \
	  ln -sfn ../../../corpus corpus && ln -sfn ../../../VERSION VERSION && ln -sfn ../../../tests tests && ln -sfn ../../../bench bench && \
	  ln -sfn ../bin bin && \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  ../../../tests/run-all $(TESTS:$(BUILD)/%=../%)

# The parser's golden files: tests/expected/<id>.json is what bin/indexer
# --parse makes of tests/corpora/*/<id>.txt. make check compares them
# (build/tests/check_golden); this rewrites them, so that a change in
# accuracy shows as a diff to review and commit.
golden-update: programs $(BUILD)/tests/check_golden
	$(BUILD)/tests/check_golden --update

# The README's main command: build, index the bundled corpus, ask it
# something, then serve it to a browser until interrupted.
demo: deps-build
	@$(MAKE) --no-print-directory programs
	bin/indexer --db index corpus
	bin/query --db index 'ngày sáng tạo' issuer:SKHCN deadline:2026-05-01..2026-05-31
	bin/searchd --db index --port 8080

# What is needed, by use: tools/deps lists the Debian packages.
deps:
	@tools/deps test
deps-build:
	@tools/deps build
deps-check:
	@tools/deps check

# A recipe, even empty, keeps make from saying "Nothing to be done" when all is built.
programs: $(PROGRAMS)
	@:

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/lib/index/xapian_wrap.o: lib/index/xapian_wrap.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS_ALL) -c $< -o $@

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The page is compiled into searchd: no file is read at run time.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $<

$(BUILD)/searchd/assets.c: $(ASSETS) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $(ASSETS) > $@.tmp && mv $@.tmp $@

$(BUILD)/searchd/assets.o: $(BUILD)/searchd/assets.c
	$(CC) $(CFLAGS_ALL) -Isearchd -c $< -o $@

$(BIN)/searchd: $(BUILD)/searchd/main.o $(BUILD)/searchd/handler.o $(BUILD)/searchd/header_deadline.o $(BUILD)/searchd/auth.o \
                $(BUILD)/searchd/log.o $(BUILD)/searchd/messages.o $(BUILD)/searchd/proxy.o \
                $(BUILD)/searchd/assets.o $(LIB_A)
	@mkdir -p $(BIN)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BIN)/%: $(BUILD)/%/main.o $(LIB_A)
	@mkdir -p $(BIN)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# A test hook (TRACUU_TEST_KILL_AFTER: die by SIGKILL after N documents, as a crash
# would) exists only in this indexer, for the tests: lib/index/update.c compiled
# again with TC_TEST_HOOKS, linked ahead of the library.  It is never installed.
$(BUILD)/test-hooks/lib/index/update.o: lib/index/update.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DTC_TEST_HOOKS -c $< -o $@

$(BIN)/indexer-killable: $(BUILD)/indexer/main.o $(BUILD)/test-hooks/lib/index/update.o $(LIB_A)
	@mkdir -p $(BIN)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# The version is in VERSION alone; the programs print it (--version).
$(BUILD)/indexer/main.o $(BUILD)/query/main.o $(BUILD)/searchd/main.o $(BUILD)/passwd/main.o: VERSION

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB_A)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(TEST_LIBS) $(LIBS)

# An installation.  The programs are renamed tracuu-index, tracuu-query and
# tracuu-searchd (Debian's sphinxsearch has an indexer and a searchd); in the
# build tree they keep their short names.  The units, the cron file, the
# configuration and the sysusers.d / tmpfiles.d entries are made from
# contrib/*.in with the paths below.  /etc/tracuu/tracuu.conf is installed only
# when there is none, and uninstall removes it only when it is unchanged.
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
UNITDIR = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
TMPFILESDIR = $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR = $(PREFIX)/share/bash-completion/completions
DOCDIR = $(PREFIX)/share/doc/tracuu
# What an admin reads first, and the example configuration as installed.
DOCS = README.md NEWS LICENSE
SYSCONFDIR = /etc
STATEDIR = /var/lib/tracuu
ARCHIVE = /srv/congvan
INSTALLED_PROGRAMS = index:indexer query:query searchd:searchd passwd:passwd
UNITS = tracuu-index.service tracuu-index.timer tracuu-rebuild.service tracuu-rebuild.timer tracuu-searchd.service
GENERATED = $(UNITS:%=$(BUILD)/contrib/%) $(BUILD)/contrib/tracuu.cron $(BUILD)/contrib/tracuu.conf \
            $(BUILD)/contrib/tracuu.sysusers $(BUILD)/contrib/tracuu.tmpfiles

$(BUILD)/contrib/%: contrib/%.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@ARCHIVE@|$(ARCHIVE)|g' \
	     -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $< > $@.tmp && mv $@.tmp $@
$(BUILD)/contrib/%.timer: contrib/%.timer
	@mkdir -p $(dir $@)
	@cp $< $@
FORCE:
# Only the generated files (tests/units checks them).
contrib-files: $(GENERATED)

install: programs $(GENERATED)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(COMPLETIONDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/cron.d $(DESTDIR)$(SYSCONFDIR)/tracuu $(DESTDIR)$(DOCDIR)/examples
	@for p in $(INSTALLED_PROGRAMS); do \
	  echo "install -m 755 $(BIN)/$${p#*:} $(DESTDIR)$(BINDIR)/tracuu-$${p%%:*}"; \
	  install -m 755 $(BIN)/$${p#*:} $(DESTDIR)$(BINDIR)/tracuu-$${p%%:*} || exit 1; \
	  install -m 644 contrib/tracuu.bash-completion $(DESTDIR)$(COMPLETIONDIR)/tracuu-$${p%%:*} || exit 1; \
	done
	install -m 644 man/tracuu-index.1 man/tracuu-query.1 man/tracuu-searchd.1 man/tracuu-passwd.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/tracuu.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 $(UNITS:%=$(BUILD)/contrib/%) $(DESTDIR)$(UNITDIR)/
	install -m 644 $(BUILD)/contrib/tracuu.sysusers $(DESTDIR)$(SYSUSERSDIR)/tracuu.conf
	install -m 644 $(BUILD)/contrib/tracuu.tmpfiles $(DESTDIR)$(TMPFILESDIR)/tracuu.conf
	install -m 644 $(BUILD)/contrib/tracuu.cron $(DESTDIR)$(SYSCONFDIR)/cron.d/tracuu
	install -m 644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	install -m 644 $(BUILD)/contrib/tracuu.conf $(DESTDIR)$(DOCDIR)/examples/tracuu.conf
	install -m 755 contrib/tracuu-backup $(DESTDIR)$(DOCDIR)/examples/tracuu-backup
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/tracuu/tracuu.conf ]; then \
	  echo "kept $(DESTDIR)$(SYSCONFDIR)/tracuu/tracuu.conf"; \
	else \
	  echo "install -m 644 $(BUILD)/contrib/tracuu.conf $(DESTDIR)$(SYSCONFDIR)/tracuu/tracuu.conf"; \
	  install -m 644 $(BUILD)/contrib/tracuu.conf $(DESTDIR)$(SYSCONFDIR)/tracuu/tracuu.conf; \
	fi
	@[ -n "$(DESTDIR)" ] || echo "now: systemd-sysusers; systemd-tmpfiles --create; systemctl daemon-reload"

uninstall: $(BUILD)/contrib/tracuu.conf
	rm -f \
	  $(foreach p,index query searchd passwd,$(DESTDIR)$(BINDIR)/tracuu-$(p) $(DESTDIR)$(COMPLETIONDIR)/tracuu-$(p) \
	    $(DESTDIR)$(MANDIR)/man1/tracuu-$(p).1) \
	  $(DESTDIR)$(MANDIR)/man5/tracuu.conf.5 $(UNITS:%=$(DESTDIR)$(UNITDIR)/%) \
	  $(DESTDIR)$(SYSUSERSDIR)/tracuu.conf $(DESTDIR)$(TMPFILESDIR)/tracuu.conf $(DESTDIR)$(SYSCONFDIR)/cron.d/tracuu \
	  $(DOCS:%=$(DESTDIR)$(DOCDIR)/%) $(DESTDIR)$(DOCDIR)/examples/tracuu.conf $(DESTDIR)$(DOCDIR)/examples/tracuu-backup
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
	@c=$(DESTDIR)$(SYSCONFDIR)/tracuu/tracuu.conf; \
	if [ -e $$c ] && ! cmp -s $$c $(BUILD)/contrib/tracuu.conf; then \
	  echo "kept $$c: it was changed"; \
	else rm -f $$c; rmdir $(DESTDIR)$(SYSCONFDIR)/tracuu 2>/dev/null || true; fi

include bench/bench.mk
include fuzz/fuzz.mk

clean:
	rm -rf $(BUILD) bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
