# lib.sh — what the benchmark scripts share: installing the Debian packages
# a benchmark needs. Sourced by bench/*.sh, which define say() and warn().
# install_pkgs PKG...: as root, apt-get installs them (updating the lists
# once if the first try fails); otherwise it says the one command to run.
install_pkgs() {
    [ $# -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing $*"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
            { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; } ||
            warn "apt-get install $* failed"
    else
        warn "missing: $*; install with: sudo apt-get install -y $*"
    fi
}
