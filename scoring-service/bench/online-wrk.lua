-- wrk script for bench/online.ts: `wrk ... -s online-wrk.lua URL -- <score|health> <N>`.
-- Both arms draw a random id per request and send the same Authorization header, so the
-- load generator's own work is the same in both; only the path differs.
local arm, n = "score", 100000
local headers = { ["authorization"] = "Bearer bench-scorer-token" }

function init(args)
  arm = args[1] or arm
  n = tonumber(args[2] or n)
  math.randomseed(12345)
end

function request()
  local id = math.random(0, n - 1)
  if arm == "score" then
    return wrk.format("GET", string.format("/v1/freelancers/fl-%07d/score", id), headers)
  end
  return wrk.format("GET", "/healthz", headers)
end

-- Latency percentiles of the run, enough around the 99th for bench/online.ts to pool the
-- rounds of an arm into one distribution.
local PCTS = { 50, 75, 90, 95, 97, 98, 98.5, 99, 99.25, 99.5, 99.75, 99.9 }

function done(summary, latency, requests)
  local e = summary.errors
  local pct = { string.format("[0,%d]", latency.min) }
  for _, p in ipairs(PCTS) do pct[#pct + 1] = string.format("[%g,%d]", p, latency:percentile(p)) end
  pct[#pct + 1] = string.format("[100,%d]", latency.max)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p99_us":%d,"p50_us":%d,"non2xx":%d,"socket_errors":%d,"pct_us":[%s]}\n',
    summary.requests, summary.duration, latency:percentile(99), latency:percentile(50),
    e.status, e.connect + e.read + e.write + e.timeout, table.concat(pct, ",")))
end
