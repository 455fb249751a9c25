-- wrk script of the benchmark part "burst" (burst.sh): POSTs valid user-creates {"name":"burst<n>"} (n unique across
-- threads) and counts the answers by kind; done() prints one line the part reads:
--   BURST accepted=<202s> shed=<503s> other=<other statuses> errors=<connect+read+write+timeout> requests=<answered>
local threads = {}

function setup(thread)
    thread:set("thread_number", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    sent, accepted, shed, other = 0, 0, 0, 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    sent = sent + 1
    return wrk.format(nil, nil, nil, string.format('{"name":"burst%d"}', thread_number * 100000000 + sent))
end

function response(status, headers, body)
    if status == 202 then accepted = accepted + 1
    elseif status == 503 then shed = shed + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local a, s, o = 0, 0, 0
    for _, thread in ipairs(threads) do
        a = a + thread:get("accepted")
        s = s + thread:get("shed")
        o = o + thread:get("other")
    end
    local e = summary.errors
    io.write(string.format("BURST accepted=%d shed=%d other=%d errors=%d requests=%d\n",
        a, s, o, e.connect + e.read + e.write + e.timeout, summary.requests))
end
