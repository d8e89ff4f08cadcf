-- webhook.lua — wrk script for the payments part of scripts/bench.sh: every
-- request delivers a different signed Stripe webhook (POST
-- /api/v1/payments/webhooks/stripe), each completing the Checkout Session of
-- another held application, so every "applied" reply is one payment recorded
-- with its ledger transaction and a seat booked.
--
--   wrk -d (SECONDS+5)s … -s bench/webhook.lua URL -- LIST SECONDS THREADS
--
-- LIST: one "<Stripe-Signature>\t<JSON body>" a line (bench/webhook_gen);
-- thread k (0-based) of THREADS takes lines k+1, k+1+THREADS, … . A thread
-- sends for SECONDS (or until its lines run out), then lets those in flight
-- finish. done() prints, after wrk's own summary:
--   webhook: sent N replies N window S applied N
--   webhook: status CODE N
--   webhook: exhausted N

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
        clock = os.time
    end
end

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

sent, replies, window, exhausted, applied = 0, 0, 0, 0, 0
statuses = {}

local requests = {}
local pos = 0
local started, deadline, last_sent
local running, stopped = false, false
local FOREVER = 3600 * 1000

function init(args)
    local file, seconds, nthreads = args[1], tonumber(args[2]), tonumber(args[3])
    if file == nil or seconds == nil or nthreads == nil then
        error("webhook.lua: usage: wrk … -s webhook.lua URL -- LIST SECONDS THREADS")
    end
    local k = 0
    for line in io.lines(file) do
        local header, body = line:match("^([^\t]+)\t(.+)$")
        if header ~= nil then
            if k % nthreads == id then
                requests[#requests + 1] = wrk.format("POST", "/api/v1/payments/webhooks/stripe",
                    { ["Stripe-Signature"] = header, ["Content-Type"] = "application/json; charset=utf-8" }, body)
            end
            k = k + 1
        end
    end
    started = clock()
    deadline = started + seconds
    last_sent = started
end

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
    if status == 200 and body:find('"outcome":"applied"', 1, true) then
        applied = applied + 1
    end
end

function done(summary, latency, reqs)
    local total_sent, total_replies, longest, ran_out, total_applied = 0, 0, 0, 0, 0
    local by_status = {}
    for _, t in ipairs(threads) do
        total_sent = total_sent + t:get("sent")
        total_replies = total_replies + t:get("replies")
        total_applied = total_applied + t:get("applied")
        ran_out = ran_out + t:get("exhausted")
        local w = t:get("window")
        if w > longest then
            longest = w
        end
        for code, n in pairs(t:get("statuses")) do
            by_status[code] = (by_status[code] or 0) + n
        end
    end
    io.write(string.format("webhook: sent %d replies %d window %.3f applied %d\n", total_sent, total_replies,
        longest, total_applied))
    for code, n in pairs(by_status) do
        io.write(string.format("webhook: status %d %d\n", code, n))
    end
    io.write(string.format("webhook: exhausted %d\n", ran_out))
end
