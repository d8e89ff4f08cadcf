-- upload.lua — wrk script for the documents part of scripts/bench.sh: every
-- request POSTs the same multipart body (a PDF and its kind) to the URL, with
-- the headers given on wrk's command line (Authorization) and the multipart
-- Content-Type.
--
--   wrk … -H "Authorization: Bearer T" -s bench/upload.lua URL -- BODY_FILE BOUNDARY

local req

function init(args)
    local f = assert(io.open(args[1], "rb"))
    local body = f:read("*a")
    f:close()
    local headers = {}
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    headers["Content-Type"] = "multipart/form-data; boundary=" .. args[2]
    req = wrk.format("POST", nil, headers, body)
end

function request()
    return req
end
