-- wrk script for deploy/mixed-load.sh: each request is one 1-text classify body, taken in turn from the file given
-- after "--" (one JSON body per line, written by MixedLoad.java --bodies). wrk is C: the small clients cost the
-- 2-core machine little CPU, where the JDK's HttpClient took ~0.2 core at ~130 requests/s (--small-client wrk).
local bodies = {}
local turn = 0

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = line
  end
  turn = math.random(#bodies) -- each connection starts at its own place in the file
end

function request()
  turn = turn % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[turn])
end

function done(summary, latency, requests)
  local refused = summary.errors.status
  io.write(string.format("small_requests=%d small_p50_ms=%.1f small_p99_ms=%.1f small_non_200=%d\n",
    summary.requests - refused, latency:percentile(50) / 1000, latency:percentile(99) / 1000, refused))
end
