-- accept.lua — wrk script for the holds part of scripts/bench.sh: every request
-- accepts a different offered application (POST /api/v1/applications/{id}/accept)
-- as its own student (Authorization: Bearer), so every 200 takes one seat.
--
--   wrk -d (SECONDS+5)s … -s bench/accept.lua URL -- LIST SECONDS THREADS
--
-- LIST: one "APPLICATION_ID TOKEN" a line; thread k (0-based) of THREADS takes
-- lines k+1, k+1+THREADS, … . A thread sends requests for SECONDS (or until its
-- lines run out), then sends no more and lets those in flight finish: run wrk a
-- little longer than SECONDS so that every request sent gets its reply, and the
-- 200s can be compared with the seats taken in the database.
--
-- done() prints, after wrk's own summary:
--   accept: sent N replies N window S      (S: seconds from start to the last send)
--   accept: status CODE N                  (one line per status seen)
--   accept: exhausted N                    (threads that ran out of lines)

local clock
do
    local ok, ffi = pcall(require, "ffi")
    if ok then
        ffi.cdef [[
            typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
            int clock_gettime(int clock_id, bench_timespec *tp);
        ]]
        local ts = ffi.new("bench_timespec")
        clock = function()
            ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
            return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
        end
    else
        clock = os.time -- plain Lua: whole seconds only
    end
end

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

-- Per thread (read by done() through thread:get, so globals).
sent, replies, window, exhausted = 0, 0, 0, 0
statuses = {}

local requests = {}
local pos = 0
local started, deadline, last_sent
local running, stopped = false, false
local FOREVER = 3600 * 1000 -- ms: "no next request in this run"

function init(args)
    local file, seconds, nthreads = args[1], tonumber(args[2]), tonumber(args[3])
    if file == nil or seconds == nil or nthreads == nil then
        error("accept.lua: usage: wrk … -s accept.lua URL -- LIST SECONDS THREADS")
    end
    local k = 0
    for line in io.lines(file) do
        local app, token = line:match("^(%S+)%s+(%S+)$")
        if app ~= nil then
            if k % nthreads == id then
                requests[#requests + 1] = wrk.format("POST", "/api/v1/applications/" .. app .. "/accept",
                    { ["Authorization"] = "Bearer " .. token, ["Content-Length"] = "0" })
            end
            k = k + 1
        end
    end
    started = clock()
    deadline = started + seconds
    last_sent = started
end

-- wrk asks delay() before every request (and before the first on each connection).
function delay()
    running = true
    if stopped then
        return FOREVER
    end
    local now = clock()
    if pos >= #requests or now >= deadline then
        stopped = true
        if pos >= #requests then
            exhausted = 1
        end
        window = last_sent - started
        return FOREVER
    end
    return 0
end

function request()
    if not running then
        -- wrk checks the script once by calling request() before the thread
        -- runs; that request is never sent, so it takes no line.
        return requests[1] or wrk.format("GET", "/healthz")
    end
    pos = pos + 1
    sent = sent + 1
    last_sent = clock()
    window = last_sent - started
    return requests[pos]
end

function response(status, headers, body)
    replies = replies + 1
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, reqs)
    local total_sent, total_replies, longest, ran_out = 0, 0, 0, 0
    local by_status = {}
    for _, t in ipairs(threads) do
        total_sent = total_sent + t:get("sent")
        total_replies = total_replies + t:get("replies")
        ran_out = ran_out + t:get("exhausted")
        local w = t:get("window")
        if w > longest then
            longest = w
        end
        for code, n in pairs(t:get("statuses")) do
            by_status[code] = (by_status[code] or 0) + n
        end
    end
    io.write(string.format("accept: sent %d replies %d window %.3f\n", total_sent, total_replies, longest))
    for code, n in pairs(by_status) do
        io.write(string.format("accept: status %d %d\n", code, n))
    end
    io.write(string.format("accept: exhausted %d\n", ran_out))
end
