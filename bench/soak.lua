-- soak.lua — wrk script of `make soak` (scripts/soak.sh): a mixed workload of
-- searches, pages, applications, messages and uploads, in that rotation:
--   4 × GET /api/v1/offerings?q=… (full-text searches)   2 × GET / and /search pages
--   1 × GET /api/v1/offerings/{id}                       1 × POST /api/v1/applications (a second
--   1 × POST …/applications/{id}/messages                  application to the same block is refused:
--   1 × POST /api/v1/documents (a 20 KiB PDF)              the refusal path is load too)
-- and each document uploaded is deleted by the thread's next request (a
-- student keeps a wallet, not tens of thousands of passports).
-- With a delay (ms, 0: none) each connection waits that long between its
-- requests, which is how soak.sh holds the rate at 70 % of the maximum.
-- done() prints one "SOAK …" line: rate, p99, 5xx replies, socket errors.
--
--   wrk … -s bench/soak.lua URL -- TOKEN OFFERING BLOCK APPLICATION PDF_FILE DELAY_MS
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

local token, offering, block, application, pdf, delay_ms
local auth
local reqs = {}
local uploaded = {} -- documents to delete, by the next request
local n = 0
server_errors = 0

function init(args)
    token, offering, block, application = args[1], args[2], args[3], args[4]
    local f = assert(io.open(args[5], "rb"))
    pdf = f:read("*a")
    f:close()
    delay_ms = tonumber(args[6]) or 0
    auth = { ["Authorization"] = "Bearer " .. token }
    local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
    local words = { "cardiology", "pediatrics", "surgery", "internal", "boston", "family", "neurology", "clinic" }
    for _, w in ipairs(words) do
        table.insert(reqs, wrk.format("GET", "/api/v1/offerings?q=" .. w, auth))
    end
    table.insert(reqs, wrk.format("GET", "/"))
    table.insert(reqs, wrk.format("GET", "/search?q=cardiology"))
    table.insert(reqs, wrk.format("GET", "/api/v1/offerings/" .. offering, auth))
    table.insert(reqs, wrk.format("POST", "/api/v1/applications", json,
        '{"block_id":"' .. block .. '","statement":"Cardiology is my calling."}'))
    table.insert(reqs, wrk.format("POST", "/api/v1/applications/" .. application .. "/messages", json,
        '{"body":"Is there anything I should read before the first week?"}'))
    local boundary = "rounds-soak-boundary"
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npassport\r\n" ..
        "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n" ..
        "Content-Type: application/pdf\r\n\r\n" .. pdf .. "\r\n--" .. boundary .. "--\r\n"
    table.insert(reqs, wrk.format("POST", "/api/v1/documents",
        { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "multipart/form-data; boundary=" .. boundary },
        body))
    -- the rotation: 4 searches, 2 pages, the offering, an application, a message, an upload
    order = { 1, 2, 9, 3, 4, 10, 11, 5, 6, 12, 13, 14 }
    n = math.random(#order) - 1
end

function request()
    if #uploaded > 0 then
        return wrk.format("DELETE", "/api/v1/documents/" .. table.remove(uploaded), auth)
    end
    n = n % #order + 1
    return reqs[order[n]]
end

function delay()
    return delay_ms
end

function response(status, headers, body)
    if status >= 500 then
        server_errors = server_errors + 1
    elseif status == 201 and body ~= nil then
        local id = body:match('^{"id":"(d_[%w_-]+)"')
        if id ~= nil then
            table.insert(uploaded, id)
        end
    end
end

function done(summary, latency, requests)
    local e = 0
    for _, t in ipairs(threads) do
        e = e + (t:get("server_errors") or 0)
    end
    local s = summary.errors
    io.write(string.format("SOAK requests=%d rps=%.1f p99_ms=%.2f server_errors=%d socket_errors=%d\n",
        summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, e,
        s.connect + s.read + s.write + s.timeout))
end
