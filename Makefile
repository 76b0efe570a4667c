# pactoria: PostgreSQL 15 extension for UK contract-management and compliance data.
#
#   make demo    set up, build, install, and show pactoria on a throwaway cluster
#   make test    set up, build, install, run pg_regress + pgTAP + integration tests
#   make bench   run the benchmarks under test/bench and print their ratios
#   make fuzz    run the libFuzzer targets of the pure-C cores (FUZZ_SECONDS each)
#   make deb     build the Debian package postgresql-15-pactoria in build/deb/
#
# The extension build itself is plain PGXS.  The targets above work even when PGXS
# is missing: test/setup-deps.sh installs postgresql-server-dev-15 first and they
# re-enter make, which then finds it.

EXTENSION   = pactoria
# The version lives in the control file only.
EXTVERSION := $(shell sed -n "s/^default_version *= *'\\(.*\\)'/\\1/p" $(EXTENSION).control)
MODULE_big  = pactoria
# src/core/: the pure-C cores (validators, diff, scoring, audit encoding, token and
# TOTP formats), which include no PostgreSQL header; the rest of src/ is their
# fmgr/SPI side.  `make all` checks that src/core/ stays so (check-pure-core below).
CORE_SOURCES = $(sort $(wildcard src/core/*.c))
CORE_HEADERS = $(sort $(wildcard src/core/*.h))
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)) $(CORE_SOURCES))

# The install script is built from one SQL file per concern, in numbered order;
# the upgrade script from the previous release likewise, from one file per concern
# under src/sql/upgrade/<from>--<to>/.  Released install scripts are kept as
# shipped (src/sql/released/), so that an old version can still be installed and
# upgraded.
SQL_SOURCES     = $(sort $(wildcard src/sql/[0-9]*.sql))
UPGRADE_FROM    = 0.1.0
UPGRADE_SOURCES = $(sort $(wildcard src/sql/upgrade/$(UPGRADE_FROM)--$(EXTVERSION)/[0-9]*.sql))
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--$(UPGRADE_FROM)--$(EXTVERSION).sql
DATA        = $(wildcard src/sql/released/$(EXTENSION)--*.sql)

# pg_regress: inputs in sql/, expected output in expected/ (both at the top level).
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=pgcrypto --load-extension=pg_trgm \
               --load-extension=$(EXTENSION)
# Isolation specs (specs/*.spec, expected output in expected/): several sessions
# stepped in a fixed order by isolationtester, no sleeps.
ISOLATION      = $(patsubst specs/%.spec,%,$(sort $(wildcard specs/*.spec)))
ISOLATION_OPTS = --inputdir=. --load-extension=pgcrypto --load-extension=pg_trgm \
                 --load-extension=$(EXTENSION)

# AES-256-GCM of sealed secrets (src/secret_seal.c): the libcrypto the server links already.
SHLIB_LINK  = -lcrypto
PG_CPPFLAGS = -Isrc -Isrc/core -DPACTORIA_VERSION='"$(EXTVERSION)"'
# As pgvector: -Wextra minus the two warnings PostgreSQL's own headers trip.
# -Werror only in CI (.ci/run passes PACTORIA_WERROR=1), never for users' builds.
PG_CFLAGS   = -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare $(if $(PACTORIA_WERROR),-Werror)

EXTRA_CLEAN = $(DATA_built) results regression.diffs regression.out output_iso test/fuzz/build build

ifneq ($(wildcard /usr/lib/postgresql/15/bin/pg_config),)
PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config
else
PG_CONFIG ?= pg_config
endif
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
# Debian ships pgxs.mk with the client package; the server headers are the real test.
SERVER_HEADER := $(wildcard $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)/postgres.h)

ifneq ($(and $(wildcard $(PGXS)),$(SERVER_HEADER)),)
include $(PGXS)
else
# No PGXS or no server headers yet: only the self-installing targets below can run.
all install installcheck:
	@echo "pactoria: PGXS not found (postgresql-server-dev-15 is not installed)." >&2
	@echo "pactoria: run 'make test' or 'make demo' as root to install it, or: apt-get install postgresql-server-dev-15" >&2
	@exit 1
endif

# Every file of src/core/ must compile with only the C library and src/core/ on the
# include path, none of PostgreSQL's: a PostgreSQL header (or a header of src/
# outside src/core/, which may bring one in) does not resolve, and the build fails.
.PHONY: check-pure-core
all: check-pure-core
check-pure-core:
	@$(CC) -fsyntax-only $(PG_CFLAGS) -Isrc/core -x c $(CORE_SOURCES) $(CORE_HEADERS) \
		|| { echo "pactoria: src/core/ must compile without PostgreSQL's headers (see above); move PostgreSQL code to src/" >&2; exit 1; }

# version() reports the version the library was built as.
src/pactoria.o: $(EXTENSION).control

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_SOURCES) $(EXTENSION).control Makefile
	cat $(SQL_SOURCES) > $@

$(EXTENSION)--$(UPGRADE_FROM)--$(EXTVERSION).sql: $(UPGRADE_SOURCES) $(EXTENSION).control Makefile
	cat $(UPGRADE_SOURCES) > $@

.PHONY: deps demo test test-citus bench fuzz deb
deps:
	@test/setup-deps.sh

# test/integration/14_debian_package.sh builds the Debian package: make test needs its tools.
test:
	@test/setup-deps.sh deb
	$(MAKE) -s all install
	test/cluster.sh run test/run-tests.sh

# The Citus suite (test/citus/) on a coordinator and two workers on 127.0.0.1;
# builds Citus first when it is missing (test/citus.sh).
test-citus:
	@test/setup-deps.sh
	$(MAKE) -s all install
	test/citus.sh

demo: deps
	$(MAKE) -s all install
	test/demo.sh

bench:
	@test/setup-deps.sh bench
	$(MAKE) -s all install
	test/cluster.sh run test/bench.sh

FUZZ_SECONDS ?= 60
fuzz:
	@test/setup-deps.sh fuzz
	test/fuzz/run.sh $(FUZZ_SECONDS)

# The Debian package, built by dpkg-buildpackage with pg_buildext (debian/rules) from
# a copy of the working tree's git-tracked files (uncommitted edits included, untracked
# files and build products left out) in build/deb/pactoria-<version>/.
# It leaves build/deb/postgresql-15-pactoria_<version>-<revision>_<arch>.deb.
DEB_DIR = build/deb
deb:
	@test/setup-deps.sh deb
	@deb_version=$$(dpkg-parsechangelog -l debian/changelog -S Version); \
	if [ "$${deb_version%-*}" != "$(EXTVERSION)" ]; then \
		echo "pactoria: debian/changelog is at $$deb_version, pactoria.control's default_version is $(EXTVERSION): add a changelog entry (dch -v $(EXTVERSION)-1)" >&2; \
		exit 1; \
	fi; \
	git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
		|| { echo "pactoria: make deb builds from the git-tracked files: run it in a git checkout" >&2; exit 1; }; \
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/$(EXTENSION)-$(EXTVERSION) && \
	git ls-files -z | tar --null --ignore-failed-read -T - -cf - | tar -xf - -C $(DEB_DIR)/$(EXTENSION)-$(EXTVERSION) && \
	(cd $(DEB_DIR)/$(EXTENSION)-$(EXTVERSION) && dpkg-buildpackage -us -uc -b) >$(DEB_DIR)/build.log 2>&1 \
		|| { tail -40 $(DEB_DIR)/build.log >&2; echo "pactoria: dpkg-buildpackage failed, see $(DEB_DIR)/build.log" >&2; exit 1; }; \
	deb=$(DEB_DIR)/postgresql-15-$(EXTENSION)_$${deb_version}_$$(dpkg --print-architecture).deb; \
	test -f $$deb || { echo "pactoria: $$deb was not built, see $(DEB_DIR)/build.log" >&2; exit 1; }; \
	echo "pactoria: built $$deb"
