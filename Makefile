# xcdash — build, test, bench and install.
#
#   make                 build ./xcdash (release flags, build/rel/)
#   make run             install missing packages (as root), build, start the dashboard
#   make test            sanitizer build (build/san/) and the whole suite
#   make bench           benchmarks (see bench/README.md)
#   make install PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address,undefined   any target with sanitizers
#   make V=1             show full command lines
#   make format | check-format

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
DATADIR   := $(PREFIX)/share/xcdash
MANDIR    := $(PREFIX)/share/man/man1

PKGS      := ncursesw libcurl sqlite3 jansson libxml-2.0 xlsxwriter
TEST_PKGS := cmocka zlib
PKG_CONFIG ?= pkg-config

SANITIZE  ?=
BUILD     := build/$(if $(SANITIZE),san,rel)

CC        ?= cc
CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
             -Wwrite-strings -Wpointer-arith -Wcast-align -Wundef -Wvla \
             -Wimplicit-fallthrough -Wold-style-definition -Wmissing-declarations
# CI (and anyone who asks with WERROR=1) treats warnings as errors.
ifneq ($(CI)$(WERROR),)
WARN      += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS  := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

ALL_CFLAGS := -std=c17 -D_GNU_SOURCE -DXCDASH_VERSION='"$(VERSION)"' \
              -DXCDASH_DATADIR='"$(DATADIR)"' -I. $(PKG_CFLAGS) \
              $(WARN) $(SANFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)
LIBS       := $(PKG_LIBS) -lpthread -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Every module folder contributes its .c files; tui/main.c is the program's entry.
LIB_SRC  := $(wildcard core/*.c store/*.c fetch/*.c widgets/*.c export/*.c) \
            $(filter-out tui/main.c,$(wildcard tui/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/tui/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TSUP_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/support/*.c))
BENCH_BIN := $(BUILD)/bench/bench_store $(BUILD)/bench/bench_parse $(BUILD)/bench/gen_feeds \
             $(BUILD)/bench/bench_browse

.SECONDARY:

.PHONY: all run deps test check tests bench install uninstall format check-format clean

all: xcdash

# ./xcdash is the release build; sanitizer builds stay in build/san/.
xcdash: $(BUILD)/xcdash
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@  # a new inode: a running ./xcdash keeps its own

$(BUILD)/xcdash: $(MAIN_OBJ) $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/support/%.o: tests/support/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TSUP_OBJ) $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

deps:
	@sh .ci/deps

run: deps
	$(Q)$(MAKE) --no-print-directory xcdash
	./xcdash

tests: $(BUILD)/xcdash $(TEST_BIN)

# The whole suite under AddressSanitizer and UBSan; ends with "N passed, N failed".
test:
	@sh .ci/deps --test
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined check

check: tests
	@sh tests/run.sh $(BUILD)

bench: $(BUILD)/xcdash $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

install: xcdash
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)
	install -m 755 xcdash $(DESTDIR)$(PREFIX)/bin/xcdash
	cp -R data $(DESTDIR)$(DATADIR)/
	cp -R themes $(DESTDIR)$(DATADIR)/
	install -m 644 docs/xcdash.1 $(DESTDIR)$(MANDIR)/xcdash.1

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/xcdash $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/xcdash.1

FORMAT_SRC = $(wildcard */*.c */*.h tests/support/*.c tests/support/*.h)
format:
	clang-format -i $(FORMAT_SRC)

check-format:
	clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build xcdash

-include $(shell find build -name '*.d' 2>/dev/null)
