#!/usr/bin/env bash
# The Debian package (make deb, debian/): its version is the extension's; it installs
# the library, the control file and the three SQL scripts; with make install's files
# moved aside, CREATE EXTENSION, the pg_regress suite and ALTER EXTENSION UPDATE from
# 0.1.0 work on a throwaway cluster started after the package was installed, so only
# the packaged files can be in use; dpkg -P leaves nothing behind.
#
# The dpkg database is the machine's own: whatever happens, an EXIT trap purges the
# package, stops the throwaway cluster and puts make install's files back.  As a user
# other than root (dpkg -i needs root), everything but the version check is skipped.
source "$(dirname "$0")/lib.bash"
TESTS=16
plan "$TESTS"

PACKAGE=postgresql-15-pactoria
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
control_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$REPO_ROOT/pactoria.control")
deb_version=$(sed -n '1s/^pactoria (\([^)]*\)).*/\1/p' "$REPO_ROOT/debian/changelog")
is "${deb_version%-*}" "$control_version" \
	"debian/changelog's upstream version ($deb_version) is pactoria.control's default_version"

skip_rest() {
	while [ "$TAP_COUNT" -lt "$TESTS" ]; do skip "$1"; done
	done_testing
}
[ "$(id -u)" -eq 0 ] || skip_rest "not root: dpkg -i needs root"
command -v dpkg-buildpackage >/dev/null 2>&1 && [ -e /usr/share/postgresql-common/pgxs_debian_control.mk ] \
	|| skip_rest "no dpkg-dev or postgresql-server-dev-all (test/setup-deps.sh deb installs them)"

pkglibdir=$("$PG_CONFIG" --pkglibdir)
extdir=$("$PG_CONFIG" --sharedir)/extension
work=$(mktemp -d "${TMPDIR:-/tmp}/pactoria-deb.XXXXXX")
chmod 755 "$work"
moved=()			# make install's files, moved to $work/aside<path>
cluster_dir=			# the throwaway cluster, at socket $cluster_host, port $cluster_port
cluster_host=
cluster_port=

# pactoria_files: what of pactoria is in the PostgreSQL directories, one path a line.
pactoria_files() {
	local path
	for path in "$pkglibdir"/pactoria* "$pkglibdir"/bitcode/pactoria* "$extdir"/pactoria*; do
		[ -e "$path" ] && echo "$path"
	done
}
# package_status: dpkg's status of the package, empty when dpkg does not know it.
package_status() {
	local status
	status=$(dpkg-query -W -f '${db:Status-Status}' "$PACKAGE" 2>/dev/null)
	[ "$status" == not-installed ] || echo "$status"
}
purge() { [ -z "$(package_status)" ] || dpkg -P "$PACKAGE" >"$work/purge.log" 2>&1; }
# on_cluster CMD...: run CMD against the throwaway cluster.
on_cluster() { PGHOST=$cluster_host PGPORT=$cluster_port PGUSER=postgres PGDATABASE=postgres "$@"; }
stop_throwaway() {
	[ -n "$cluster_dir" ] || return 0
	"$REPO_ROOT/test/cluster.sh" stop "$cluster_dir" >/dev/null 2>&1
	cluster_dir=
}
restore() {			# put make install's files back where they were
	local path
	for path in "${moved[@]+"${moved[@]}"}"; do
		if [ -e "$work/aside$path" ]; then
			rm -rf "$path"
			mv "$work/aside$path" "$path"
		fi
	done
}
cleanup() {
	stop_throwaway
	purge || { diag "dpkg -P $PACKAGE failed:"; sed 's/^/# /' "$work/purge.log" >&2; }
	restore
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$(package_status)" ]; then
	diag "$PACKAGE was already known to dpkg (a run that was killed?): purging it first"
	purge
fi

ok make -s -C "$REPO_ROOT" deb "make deb builds the package"
deb="$REPO_ROOT/build/deb/${PACKAGE}_${deb_version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "Bail out! $deb was not built"; exit 1; }

before=$(pactoria_files)
while read -r path; do
	[ -n "$path" ] || continue
	mkdir -p "$work/aside$(dirname "$path")"
	mv "$path" "$work/aside$path" && moved+=("$path")
done <<<"$before"
is "$(pactoria_files)" "" "make install's files are moved aside (${#moved[@]} paths)"

ok dpkg -i "$deb" "dpkg -i installs $(basename "$deb")"
[ "$(package_status)" == installed ] || { echo "Bail out! $PACKAGE is not installed"; exit 1; }
listed=$(dpkg -L "$PACKAGE")
expected_files=("$pkglibdir/pactoria.so" "$extdir/pactoria.control" "$extdir/pactoria--$control_version.sql"
	"$extdir/pactoria--0.1.0.sql" "$extdir/pactoria--0.1.0--$control_version.sql")
missing=
for path in "${expected_files[@]}"; do
	grep -qxF "$path" <<<"$listed" && [ -f "$path" ] || missing+=" $path"
done
is "${missing:-none}" none "the package holds the library, the control file and the install, old and upgrade scripts"
ok dpkg --verify "$PACKAGE" "the files on disk are the package's (dpkg --verify)"

# A cluster started now has never loaded make install's library.
exports=$("$REPO_ROOT/test/cluster.sh" start) || { echo "Bail out! cannot start a throwaway cluster"; exit 1; }
read -r cluster_dir cluster_host cluster_port < <(eval "$exports"; echo "$PACTORIA_CLUSTER_DIR $PGHOST $PGPORT")
on_cluster psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE deb_fresh" -c "CREATE DATABASE deb_upgrade" >/dev/null \
	|| { echo "Bail out! cannot create databases on the throwaway cluster"; exit 1; }
ok on_cluster sql deb_fresh "CREATE EXTENSION pactoria CASCADE" "CREATE EXTENSION pactoria CASCADE with the packaged files"
is "$(on_cluster sql deb_fresh "SELECT extversion || ' ' || pactoria.version() FROM pg_extension WHERE extname = 'pactoria'")" \
	"$control_version $control_version" "the extension and its packaged library are $control_version"

# The pg_regress suite of make installcheck (sql/, expected/), its output kept out of the tree.
mkdir -p "$work/regress"
if on_cluster make -s -C "$REPO_ROOT" installcheck EXTRA_REGRESS_OPTS="--outputdir=$work/regress" >"$work/regress.log" 2>&1; then
	is ok ok "pg_regress installcheck passes against the packaged files ($(grep -cE '\.\.\. ok( |$)' "$work/regress.log") files)"
else
	is failed ok "pg_regress installcheck passes against the packaged files"
	sed 's/^/# /' "$work/regress.log" | tail -30 >&2
	[ -f "$work/regress/regression.diffs" ] && head -60 "$work/regress/regression.diffs" | sed 's/^/# /' >&2
fi

ok on_cluster sql deb_upgrade "CREATE EXTENSION pactoria VERSION '0.1.0' CASCADE" "CREATE EXTENSION pactoria VERSION '0.1.0' from the packaged old script"
ok on_cluster sql deb_upgrade "ALTER EXTENSION pactoria UPDATE" "ALTER EXTENSION pactoria UPDATE with the packaged upgrade script"
is "$(on_cluster sql deb_upgrade "SELECT extversion || ' ' || pactoria.version() FROM pg_extension WHERE extname = 'pactoria'")" \
	"$control_version $control_version" "the updated extension is $control_version"

stop_throwaway
ok dpkg -P "$PACKAGE" "dpkg -P $PACKAGE purges the package"
is "$(package_status)" "" "dpkg no longer knows $PACKAGE"
left=
while read -r path; do
	# Directories it shares with other packages (/usr/lib/postgresql/15/lib) stay.
	case "$path" in *pactoria*) ;; *) [ -d "$path" ] && continue ;; esac
	[ -e "$path" ] || [ -L "$path" ] && left+=" $path"
done <<<"$listed"
left+=$(pactoria_files | tr '\n' ' ' | sed 's/^/ /; s/ $//')
is "${left:-nothing}" nothing "nothing dpkg -L listed, and nothing named pactoria*, is left in the PostgreSQL directories"

restore
is "$(pactoria_files)" "$before" "make install's files are back"

done_testing
