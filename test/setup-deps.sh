#!/usr/bin/env bash
# Install what building and testing pactoria needs, when it is missing.
#
#   test/setup-deps.sh          build + test needs: PGXS, pgTAP, pg_prove, PgBouncer, psycopg
#   test/setup-deps.sh bench    plus what the benchmarks compare against (pg_partman)
#   test/setup-deps.sh fuzz     plus clang's libFuzzer runtime
#   test/setup-deps.sh deb      plus what building the Debian package needs (make deb)
#
# As root it runs apt-get update and apt-get install for what is missing.  As any
# other user it changes nothing and stops with the exact command to run.
set -euo pipefail

PG_MAJOR=15
missing=()

need_file() {			# need_file <package> <file that package provides>
	[ -e "$2" ] || missing+=("$1")
}

# pgxs.mk alone comes with the client package on Debian: test for the server headers.
need_file postgresql-server-dev-$PG_MAJOR /usr/include/postgresql/$PG_MAJOR/server/postgres.h
need_file postgresql-$PG_MAJOR-pgtap /usr/share/postgresql/$PG_MAJOR/extension/pgtap.control
command -v pg_prove >/dev/null 2>&1 || missing+=(libtap-parser-sourcehandler-pgtap-perl)
# The pooled-connection test runs PgBouncer and a real client (psycopg, for Debian's python3).
need_file pgbouncer /usr/sbin/pgbouncer
need_file python3-psycopg /usr/lib/python3/dist-packages/psycopg/__init__.py
# pgcrypto and pg_trgm come with the server package on Debian; check, never assume.
need_file postgresql-contrib /usr/share/postgresql/$PG_MAJOR/extension/pgcrypto.control

for extra in "$@"; do
	case "$extra" in
		bench) need_file postgresql-$PG_MAJOR-partman /usr/share/postgresql/$PG_MAJOR/extension/pg_partman.control ;;
		fuzz)
			command -v clang-14 >/dev/null 2>&1 || missing+=(clang-14)
			ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 \
				|| missing+=(libclang-rt-14-dev)
			;;
		deb)
			need_file postgresql-server-dev-all /usr/share/postgresql-common/pgxs_debian_control.mk
			command -v dh >/dev/null 2>&1 || missing+=(debhelper)
			command -v dpkg-buildpackage >/dev/null 2>&1 || missing+=(dpkg-dev)
			;;
		*) echo "setup-deps.sh: unknown extra '$extra'" >&2; exit 2 ;;
	esac
done

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "pactoria: missing packages: ${missing[*]}" >&2
	echo "pactoria: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "pactoria: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
	|| apt-get install -y --no-install-recommends "${missing[@]}"
echo "pactoria: installed ${missing[*]}"
