# free_port.sh — sourced by the scripts and test harnesses that start servers:
# free_port prints a loopback TCP port nothing listens on, or fails (status 1,
# a line on standard error).
#
# The port is taken below the kernel's range of ephemeral ports
# (/proc/sys/net/ipv4/ip_local_port_range, 32768–60999 by default): a port in
# that range may be the local end of some outgoing connection (a test's client
# of PostgreSQL, say), which no check for a listener sees and which makes the
# server's bind fail with "Address already in use" (seen in a browser run right
# after the PostgreSQL suites). When the range starts too low to leave room
# (below 21000), any port from 20000 to 60999 is taken, as before.

port_in_use() {
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    return 1
}

free_port() {
    local low=32768 rest high p i
    read -r low rest </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
    high=$((low - 1))
    [ "$high" -ge 21000 ] || high=60999
    p=$((20000 + (RANDOM * 32768 + RANDOM) % (high - 20000 + 1)))
    for ((i = 0; i < 200; i++)); do
        port_in_use "$p" || { echo "$p"; return 0; }
        p=$((p + 1))
        [ "$p" -le "$high" ] || p=20000
    done
    echo "no free TCP port found" >&2
    return 1
}
