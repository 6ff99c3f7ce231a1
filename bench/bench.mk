# Benchmark programs, included from the root Makefile (after LIB_A, LIBS,
# CFLAGS_ALL and LDFLAGS_ALL are defined):
#   make bench      builds build/bench/qbench (in-process query latency) and the
#                   three programs; bench/run uses them
# qbench is built with the same flags and libraries as bin/query.

BENCH_DIR = $(BUILD)/bench
QBENCH = $(BENCH_DIR)/qbench

.PHONY: bench
bench: programs $(QBENCH)

$(BENCH_DIR)/qbench.o: bench/qbench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(QBENCH): $(BENCH_DIR)/qbench.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# bench/ocr/run: the indexer's page images, for the tesseract command.
OCR_RENDER = $(BENCH_DIR)/ocr-render

.PHONY: bench-ocr
bench-ocr: programs $(OCR_RENDER)

$(BENCH_DIR)/ocr-render.o: bench/ocr/render.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(OCR_RENDER): $(BENCH_DIR)/ocr-render.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

# bench/extract-cost/run: the same dispatches written as text PDFs.
PDF_WRITE = $(BENCH_DIR)/pdfwrite

.PHONY: bench-extract-cost
bench-extract-cost: programs $(PDF_WRITE)

$(BENCH_DIR)/pdfwrite.o: bench/extract-cost/pdfwrite.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(PDF_WRITE): $(BENCH_DIR)/pdfwrite.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(shell pkg-config --libs cairo)
