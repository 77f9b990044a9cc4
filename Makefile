# flyvm: the two commands a newcomer needs are
#   make run     build flyvm and boot a system from the default configuration
#   make check   build flyvm and run the whole test suite (debug + asan)
# and, for CI and the curious:
#   make check-tsan   the concurrency tests under ThreadSanitizer
#   make bench        build the release flavour and run every benchmark

JOBS	?= 2
B	:= build
CMAKE	:= cmake
CTEST	:= ctest --output-on-failure -j$(JOBS)

.PHONY: run check check-debug check-asan check-tsan bench setup clean

setup:
	@scripts/setup.sh

build-%: setup
	@[ -f $(B)/$*/Makefile ] || \
		$(CMAKE) -S . -B $(B)/$* -DFLYVM_FLAVOUR=$* >/dev/null
	@$(CMAKE) --build $(B)/$* -j$(JOBS) -- --no-print-directory

run: build-release
	$(B)/release/flyvm boot

check: check-debug check-asan

check-debug: build-debug
	cd $(B)/debug && $(CTEST)

check-asan: build-asan
	cd $(B)/asan && ASAN_OPTIONS=detect_leaks=1 $(CTEST)

check-tsan: build-tsan
	cd $(B)/tsan && TSAN_OPTIONS=halt_on_error=1 $(CTEST) -L concurrency

bench: build-release
	@for b in $(B)/release/bench/bench_*; do echo "== $$b"; $$b; done

clean:
	rm -rf $(B)
