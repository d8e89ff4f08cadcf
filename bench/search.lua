-- search.lua — wrk script for the catalog part of scripts/bench.sh: every
-- request is the next path of a list, so that the figures are not those of
-- one query answered again and again.
--
--   wrk … -s bench/search.lua URL -- LIST
--
-- LIST: one path a line ("/api/v1/offerings?specialty=cardiology&state=TX").
-- Each thread cycles through the whole list, starting at its own offset.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

local requests = {}
local pos = 0

function init(args)
    local file = args[1]
    if file == nil then
        error("search.lua: usage: wrk … -s search.lua URL -- LIST")
    end
    for line in io.lines(file) do
        if line ~= "" then
            requests[#requests + 1] = wrk.format("GET", line)
        end
    end
    if #requests == 0 then
        error("search.lua: " .. file .. " holds no path")
    end
    pos = ((id or 0) * 7) % #requests
end

function request()
    pos = pos % #requests + 1
    return requests[pos]
end
