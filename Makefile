# Rounds — a plain Makefile with pkg-config.
#
#   make                 build build/rounds
#   make run             install what is missing, build, seed a demo database, serve on :8080
#   make test            install what is missing, build with ASan+UBSan, run every suite
#   make bench           wrk against rounds and nginx; prints figures and ratios
#   make soak            30 minutes of mixed load at 70 % of the maximum rate (SOAK_MINUTES=N)
#   make lint            banned functions, layering, function length, cppcheck, clang-tidy
#   make fuzz            clang libFuzzer targets (build/fuzz/); FUZZ_SECONDS=60 make fuzz-run
#   make SANITIZE=address,undefined   a sanitized build (in its own build folder)

CC       ?= cc
SANITIZE ?=
BUILD    ?= build$(if $(SANITIZE),-$(subst $(comma),-,$(SANITIZE)))
comma    := ,

PKGS     := libh2o-evloop jansson libsodium sqlite3 libpq libcurl openssl zlib libqrencode liboath
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lcrack -lpthread -lm

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 $(WARN) -Isrc -I$(BUILD)/gen -I. $(PKG_CFLAGS)
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
# Checks that store SQL stays where it was prepared (src/store/stmt_cache.h).
CFLAGS   += -DROUNDS_STMT_CACHE_CHECK
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

SRC      := $(shell find src -name '*.c' | sort)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
LIB_OBJ  := $(filter-out $(BUILD)/src/main.o,$(OBJ))
SQL      := $(shell find sql -name '*.sql' | sort)

TEST_SRC := $(wildcard tests/unit/*.c tests/store/*.c tests/api/*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

.PHONY: all run test bench soak lint fuzz fuzz-run clean tests bootstrap
all: $(BUILD)/rounds

# V=1 shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/rounds: $(OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# Sanitized builds are the test builds: there, ROUNDS_TEST_PASSWORD_COST=min (set by the
# test harnesses) lowers the Argon2id cost of password hashes (src/lib/crypto.c).
ifneq ($(SANITIZE),)
$(BUILD)/src/lib/crypto.o: CFLAGS += -DROUNDS_TEST_BUILD
endif

$(BUILD)/gen/migrations.c: $(SQL) scripts/embed_sql.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed_sql.sh $(SQL) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) tests/test.h $(wildcard tests/api/*.h tests/store/*.h)
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) -Itests -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(PKG_LIBS)

tests: $(TEST_BIN) $(BUILD)/rounds

bootstrap:
	@scripts/bootstrap.sh

run:
	@scripts/bootstrap.sh
	@$(MAKE) --no-print-directory all
	@scripts/run.sh $(BUILD)/rounds

# `make test` builds on every CPU (JOBS=-j1 for one at a time).
JOBS     ?= -j$(shell nproc 2>/dev/null || echo 2)

test:
	@scripts/bootstrap.sh test
	@$(MAKE) --no-print-directory $(JOBS) SANITIZE=address,undefined tests
	@$(MAKE) --no-print-directory $(JOBS) fuzz
	@scripts/test.sh build-address-undefined

bench:
	@scripts/bootstrap.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench/match_gen $(BUILD)/bench/webhook_gen
	@scripts/bench.sh $(BUILD)/rounds $(DB)

# The benchmark's instance generator for the match part (libc only).
$(BUILD)/bench/match_gen: bench/match_gen.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -O2 -std=c17 $(WARN) -o $@ $< -lm

# The benchmark's signed Stripe webhook deliveries for the payments part.
$(BUILD)/bench/webhook_gen: bench/webhook_gen.c src/lib/stripe_signature.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) -O2 -std=c17 $(WARN) -Isrc -o $@ $^ $(shell pkg-config --libs libsodium)

soak:
	@scripts/bootstrap.sh bench
	@$(MAKE) --no-print-directory all
	@scripts/soak.sh $(BUILD)/rounds

lint:
	@scripts/bootstrap.sh lint
	@scripts/lint.sh

# libFuzzer targets: clang, sanitizers, linked with the parsers they exercise.
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -g -O1 -Isrc -I. $(PKG_CFLAGS) \
               -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
FUZZ_LIB_SRC := $(filter src/lib/%.c src/http/router.c src/http/parse.c src/http/multipart.c src/domain/catalog_text.c src/domain/match_engine.c src/domain/match_explain.c src/domain/match_json%.c src/domain/match_verify.c src/domain/school_csv.c src/domain/validate.c src/domain/visa_letter_input.c,$(SRC))
# Each target links the objects of build/fuzz/obj/ (below), compiled once for all of
# them: compiling the parsers' sources into each of the 24 targets cost 23 s of CPU a target.
FUZZ_LIB_OBJ := $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)
fuzz: $(FUZZ_BIN)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)

# The whole-request target (fuzz_http_request) links every source but main.c,
# compiled once per file with coverage into build/fuzz/obj/ (make -j2 helps).
FUZZ_OBJ := $(filter-out build/fuzz/obj/src/main.o,$(SRC:%.c=build/fuzz/obj/%.o)) build/fuzz/obj/gen/migrations.o
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(filter-out -fsanitize=fuzzer%,$(FUZZ_CFLAGS)) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<
build/fuzz/obj/gen/migrations.c: $(SQL) scripts/embed_sql.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed_sql.sh $(SQL) > $@.tmp && mv $@.tmp $@
build/fuzz/obj/gen/migrations.o: build/fuzz/obj/gen/migrations.c
	$(Q)clang $(filter-out -fsanitize=fuzzer%,$(FUZZ_CFLAGS)) -fsanitize=address,undefined -c -o $@ $<
build/fuzz/fuzz_http_request: tests/fuzz/fuzz_http_request.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -o $@ $^ $(PKG_LIBS)

fuzz-run: fuzz
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	  dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	  $$f -max_total_time=$${FUZZ_SECONDS:-60} $$dict build/fuzz/corpus-$$n tests/fuzz/corpus/$$n; done

clean:
	rm -rf build build-*

-include $(OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
