# tracuu: build the library, the programs and the tests.
#   make             installs missing dependencies, builds bin/indexer, bin/query, bin/searchd
#   make check       the same, then runs every test: the Check suites, the browser test,
#                    the Check suites again under AddressSanitizer and UBSan, and each
#                    libFuzzer harness for CHECK_FUZZ_SECONDS (20)
#   make check-asan  only the sanitizer run
#   make demo        builds, indexes corpus/ into index/, runs an example query, serves :8080
#   make deps        only the dependencies (installed when missing, silent otherwise)
#   make golden-update  rewrites tests/expected/ from today's parser (review the diff)

DEBIAN_PACKAGES = g++ make pkg-config libxapian-dev libicu-dev libmicrohttpd-dev \
                  zlib1g-dev check libjansson-dev libical-dev libcurl4-openssl-dev chromium \
                  xapian-tools clang libclang-rt-14-dev python3 \
                  libpoppler-glib-dev libzip-dev libxml2-dev libcairo2-dev fonts-dejavu-core zip
PKGS = icu-uc icu-i18n jansson zlib libical libmicrohttpd poppler-glib libzip libxml-2.0

CC ?= cc
CXX ?= g++
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP $(INCLUDES) $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) -Wall -Wextra -MMD -MP $(INCLUDES) $(shell pkg-config --cflags xapian-core) $(EXTRA_CFLAGS)
LIBS = $(shell pkg-config --libs xapian-core $(PKGS)) -lpthread $(EXTRA_LDFLAGS)
TEST_LIBS = $(shell pkg-config --libs check libcurl cairo fontconfig)

BUILD = build
BIN = bin
# lib/ holds one folder per stage of the pipeline (base, extract, text,
# record, index, search, output); a file includes its own stage's headers and those
# of the stages below, named with their folder ("text/fold.h").  The
# programs see the public API alone.
INCLUDES = -Iinclude -Ilib
LIB_C = $(sort $(shell find lib -name '*.c'))
$(BUILD)/indexer/%.o $(BUILD)/query/%.o $(BUILD)/searchd/%.o: INCLUDES = -Iinclude
LIB_OBJ = $(LIB_C:%.c=$(BUILD)/%.o) $(BUILD)/lib/index/xapian_wrap.o
LIB_A = $(BUILD)/libtracuu.a
PROGRAMS = $(BIN)/indexer $(BIN)/query $(BIN)/searchd
ASSETS = $(sort $(wildcard searchd/assets/*))
TESTS_C = $(wildcard tests/check_*.c)
TESTS = $(TESTS_C:tests/%.c=$(BUILD)/tests/%)

.PHONY: all check check-asan deps programs tests demo install clean golden-update
PREFIX ?= /usr/local
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory programs

check: deps
	@$(MAKE) --no-print-directory programs tests
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)
	@tests/run-all tests/layering $(TESTS) tests/browser/run
	@$(MAKE) --no-print-directory check-asan

tests: $(TESTS)

# Each libFuzzer harness runs this long in make check (fuzz/fuzz.mk).
CHECK_FUZZ_SECONDS ?= 20

# The Check suites again, built with AddressSanitizer and UBSan into
# build/asan, run from a folder whose bin/ holds the instrumented programs.
ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/bin OPT="-O1 -g" \
	  EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" programs tests
	@mkdir -p build/asan/root && cd build/asan/root && \
	  ln -sfn ../../../corpus corpus && ln -sfn ../../../tests tests && ln -sfn ../../../bench bench && \
	  ln -sfn ../bin bin && \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  ../../../tests/run-all $(TESTS:$(BUILD)/%=../%)

# The parser's golden files: tests/expected/<id>.json is what bin/indexer
# --parse makes of tests/corpora/*/<id>.txt. make check compares them
# (build/tests/check_golden); this rewrites them, so that a change in
# accuracy shows as a diff to review and commit.
golden-update: programs $(BUILD)/tests/check_golden
	$(BUILD)/tests/check_golden --update

# The README's main command: build, index the bundled corpus, ask it
# something, then serve it to a browser until interrupted.
demo: all
	bin/indexer --db index corpus
	bin/query --db index 'ngày sáng tạo' issuer:SKHCN deadline:2026-05-01..2026-05-31
	bin/searchd --db index --port 8080

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi; \
	if ! command -v npm >/dev/null; then \
	  echo "installing: nodejs npm"; \
	  $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi; \
	if [ ! -d tests/browser/node_modules/playwright-core ]; then \
	  echo "installing: playwright-core (npm)"; \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null; \
	fi

programs: $(PROGRAMS)

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

$(BIN)/searchd: $(BUILD)/searchd/main.o $(BUILD)/searchd/handler.o $(BUILD)/searchd/header_deadline.o \
                $(BUILD)/searchd/assets.o $(LIB_A)
	@mkdir -p $(BIN)
	$(CXX) $(OPT) -o $@ $^ $(LIBS)

$(BIN)/%: $(BUILD)/%/main.o $(LIB_A)
	@mkdir -p $(BIN)
	$(CXX) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB_A)
	$(CXX) $(OPT) -o $@ $^ $(TEST_LIBS) $(LIBS)

# The three programs (searchd carries its page): all an installation needs.
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/

include bench/bench.mk
include fuzz/fuzz.mk

clean:
	rm -rf $(BUILD) bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
