# tracuu: build the library, the programs and the tests.
#   make          installs missing build dependencies, builds bin/indexer and bin/query
#   make check    the same, then builds and runs every test
#   make demo     builds, indexes corpus/ into index/ and runs an example query
#   make deps     only the Debian packages (installed when missing, silent otherwise)

DEBIAN_PACKAGES = g++ make pkg-config libxapian-dev libicu-dev libmicrohttpd-dev \
                  zlib1g-dev check libjansson-dev libical-dev libcurl4-openssl-dev
PKGS = icu-uc icu-i18n jansson zlib libical libmicrohttpd

CC ?= cc
CXX ?= g++
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes -Wmissing-prototypes
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP -Ilib $(shell pkg-config --cflags $(PKGS)) $(EXTRA_CFLAGS)
CXXFLAGS_ALL = -std=c++17 $(OPT) -Wall -Wextra -MMD -MP -Ilib $(shell pkg-config --cflags xapian-core) $(EXTRA_CFLAGS)
LIBS = $(shell pkg-config --libs xapian-core $(PKGS)) -lpthread
TEST_LIBS = $(shell pkg-config --libs check libcurl)

BUILD = build
LIB_C = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_C:%.c=$(BUILD)/%.o) $(BUILD)/lib/xapian_wrap.o
LIB_A = $(BUILD)/libtracuu.a
PROGRAMS = bin/indexer bin/query bin/searchd
ASSETS = $(sort $(wildcard searchd/assets/*))
TESTS_C = $(wildcard tests/check_*.c)
TESTS = $(TESTS_C:tests/%.c=$(BUILD)/tests/%)

.PHONY: all check deps programs demo clean
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory programs

check: deps
	@$(MAKE) --no-print-directory programs $(TESTS)
	@tests/run-all $(TESTS)

# The README's main command: build, index the bundled corpus, ask it something.
demo: all
	bin/indexer --db index corpus
	bin/query --db index 'ngày sáng tạo' issuer:SKHCN deadline:2026-05-01..2026-05-31

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

programs: $(PROGRAMS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/lib/xapian_wrap.o: lib/xapian_wrap.cc
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

bin/searchd: $(BUILD)/searchd/main.o $(BUILD)/searchd/handler.o $(BUILD)/searchd/assets.o $(LIB_A)
	@mkdir -p bin
	$(CXX) $(OPT) -o $@ $^ $(LIBS)

bin/%: $(BUILD)/%/main.o $(LIB_A)
	@mkdir -p bin
	$(CXX) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB_A)
	$(CXX) $(OPT) -o $@ $^ $(TEST_LIBS) $(LIBS)

clean:
	rm -rf $(BUILD) bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
