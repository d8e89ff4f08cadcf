-- messages.lua — wrk script for the messages part of scripts/bench.sh: every
-- request posts a message (POST /api/v1/applications/{id}/messages) into the
-- next of the coach's threads in turn, so that messages go to distinct threads.
--
--   wrk … -s bench/messages.lua URL -- LIST TOKEN
--
-- LIST: one application id a line. TOKEN: the coach's bearer token.
local ids = {}
local token = ""
local next_index = 0

function init(args)
    for line in io.lines(args[1]) do
        if line ~= "" then table.insert(ids, line) end
    end
    token = args[2]
    next_index = math.random(#ids) - 1
end

function request()
    next_index = next_index % #ids + 1
    return wrk.format("POST", "/api/v1/applications/" .. ids[next_index] .. "/messages",
        { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
        '{"body":"How is the week going? Anything you need for Monday?"}')
end
