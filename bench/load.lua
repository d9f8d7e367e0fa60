-- wrk script for bench/load.py. RS_BENCH_DATA names a Lua file returning a list of requests
-- {t = token or "", b = JSON body}; "@KEY@" in a body becomes a key unique to this request (an
-- idempotency key), "@CODE@" the current rotating check-in code of activity `a` (codes[a][step],
-- 30-second steps, precomputed by load.py). RS_BENCH_DELAY_MS > 0 paces every connection (the
-- fixed offered load); 0 runs flat out (saturation). Results go to RS_BENCH_OUT as JSON.
local data = dofile(os.getenv("RS_BENCH_DATA"))
local requests, codes = data.requests, data.codes or {}
local run = os.getenv("RS_BENCH_RUN") or "r"
local pause = tonumber(os.getenv("RS_BENCH_DELAY_MS") or "0")
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  -- `threads` is filled in the main Lua state only; each thread walks the requests from its
  -- own offset, and its id keeps its keys apart from the other threads'.
  -- RS_BENCH_OFFSET: how many requests the earlier runs of this scenario sent, so that a run
  -- goes on where the last one stopped (new slots and pairs, not replays of the warm-up's).
  counter = tid * 7919 + tonumber(os.getenv("RS_BENCH_OFFSET") or "0")
  typed = {}
  failed = 0
  done_count = 0
end

function delay()
  return pause
end

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local body = r.b
  if body:find("@KEY@", 1, true) then
    body = body:gsub("@KEY@", run .. "-" .. tid .. "-" .. counter)
  end
  if r.a then
    local step = math.floor(os.time() / 30)
    body = body:gsub("@CODE@", codes[r.a][step] or codes[r.a][step - 1] or "")
  end
  local headers = {["Content-Type"] = "application/json"}
  if r.t ~= "" then headers["Authorization"] = "Bearer " .. r.t end
  return wrk.format("POST", "/graphql", headers, body)
end

function response(status, headers, body)
  done_count = done_count + 1
  if status ~= 200 or body:find('"errors":[{', 1, true) and not body:find('"data":{', 1, true) then
    failed = failed + 1
  end
  local code = body:match('"code":"([A-Z_]+)"')
  if code then typed[code] = (typed[code] or 0) + 1 end
end

function done(summary, latency, requests_)
  local failed_all, typed_all = 0, {}
  for _, t in ipairs(threads) do
    failed_all = failed_all + t:get("failed")
    for k, v in pairs(t:get("typed")) do typed_all[k] = (typed_all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(typed_all) do table.insert(parts, string.format('"%s": %d', k, v)) end
  local out = io.open(os.getenv("RS_BENCH_OUT"), "w")
  out:write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"socket_errors": %d, "non_2xx": %d, "failed": %d, "typed_errors": {%s}}',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, failed_all, table.concat(parts, ", ")))
  out:close()
end
