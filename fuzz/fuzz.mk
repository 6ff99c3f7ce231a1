# Fuzzing with libFuzzer (clang): six harnesses over lib/, included by the
# root Makefile.
#   make fuzz          builds the harnesses (decode, parse, fold, tokenize,
#                      query, extract) and their seed corpora, then runs each for
#                      FUZZ_SECONDS (30);
#                      exits non-zero on any crash, leak, UBSan report or
#                      timeout, leaving the input in build/fuzz/crashes/HARNESS/
#   make fuzz-build    only builds them
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="parse query"
#   make fuzz FUZZ_KEEP_CORPUS=1   start from what the last run learned
# Everything is built into build/fuzz/ (lib/ compiled again with clang,
# AddressSanitizer, UBSan and libFuzzer's coverage); nothing outside it is
# touched.  fuzz/run runs the harnesses, makes the seeds, minimizes crashes.

FUZZ_OUT = build/fuzz
FUZZ_CC = clang
FUZZ_CXX = clang++
FUZZ_SECONDS ?= 30
FUZZ_HARNESSES = decode parse fold tokenize query extract
FUZZ_TARGETS ?= $(FUZZ_HARNESSES)
FUZZ_KEEP_CORPUS ?= 0
# The library's own dependencies (the Makefile's PKGS), one list for both builds.
FUZZ_PKGS = xapian-core $(PKGS)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Library objects get the coverage instrumentation only; the fuzzer's own
# main() comes with -fsanitize=fuzzer at the final link.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -Iinclude -Ilib \
              $(shell pkg-config --cflags $(FUZZ_PKGS))
FUZZ_CXXFLAGS = -std=c++17 -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -Iinclude -Ilib \
                $(shell pkg-config --cflags xapian-core)
FUZZ_LIBS = $(shell pkg-config --libs $(FUZZ_PKGS)) -lcsv -lgomp -lpthread

FUZZ_LIB_OBJ = $(patsubst lib/%.c,$(FUZZ_OUT)/obj/lib/%.o,$(LIB_C)) $(FUZZ_OUT)/obj/lib/index/xapian_wrap.o
FUZZ_BINS = $(FUZZ_HARNESSES:%=$(FUZZ_OUT)/%)
FUZZ_TOOLCHAIN = $(FUZZ_OUT)/.toolchain-ok
FUZZ_SEEDS = $(FUZZ_OUT)/seeds/.stamp

.PHONY: fuzz fuzz-build

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_KEEP_CORPUS=$(FUZZ_KEEP_CORPUS) fuzz/run $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BINS) $(FUZZ_SEEDS)

# clang and its libFuzzer runtime (Debian: clang, libclang-rt-dev), checked
# once with a harness that does nothing.
$(FUZZ_TOOLCHAIN):
	@mkdir -p $(FUZZ_OUT)
	@command -v $(FUZZ_CC) >/dev/null && command -v $(FUZZ_CXX) >/dev/null || \
	  { echo "fuzz: needs $(FUZZ_CC) and $(FUZZ_CXX) (Debian: apt-get install clang)" >&2; exit 1; }
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
	  > $(FUZZ_OUT)/toolchain-check.c
	@$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_OUT)/toolchain-check.c -o $(FUZZ_OUT)/toolchain-check || \
	  { echo "fuzz: $(FUZZ_CC) cannot link libFuzzer (Debian: apt-get install libclang-rt-dev)" >&2; exit 1; }
	@rm -f $(FUZZ_OUT)/toolchain-check $(FUZZ_OUT)/toolchain-check.c
	@touch $@

$(FUZZ_OUT)/obj/lib/%.o: lib/%.c | $(FUZZ_TOOLCHAIN)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_OUT)/obj/lib/index/xapian_wrap.o: lib/index/xapian_wrap.cc | $(FUZZ_TOOLCHAIN)
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -c $< -o $@

$(FUZZ_OUT)/obj/fuzz/%.o: fuzz/%.c | $(FUZZ_TOOLCHAIN)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -c $< -o $@

# C++ link (Xapian), with libFuzzer's main().
$(FUZZ_BINS): $(FUZZ_OUT)/%: $(FUZZ_OUT)/obj/fuzz/fuzz_%.o $(FUZZ_OUT)/obj/fuzz/targets.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

# Seeds: corpus/ and tests/data/ (whole, in pieces, in legacy encodings,
# gzipped), fuzz/seeds-query.txt, the real PDF and DOCX of
# tests/realformats/, and the kept regression inputs.
$(FUZZ_SEEDS): fuzz/run fuzz/seeds-query.txt $(wildcard corpus/*.txt tests/data/*.txt tests/realformats/* tests/fuzz-regressions/*)
	@fuzz/run seeds

-include $(wildcard $(FUZZ_OUT)/obj/*/*.d)
