-- wrk script for scripts/bench-webhook.sh: POSTs the AdmissionReview in $BODY_FILE as kube-apiserver does (keep-alive
-- connections, Content-Type application/json) and checks every answer.
--   EXPECT    a string every answer body must contain (the webhook: '"patchType":"JSONPatch"'; the echo: the UID)
--   DELAY_MS  when set, each connection waits this long after an answer before its next request: with C connections
--             the offered rate is at most C * 1000 / DELAY_MS requests per second (wrk has no rate option, and
--             Debian has no wrk2); the achieved rate is reported, not assumed.
-- done() prints one machine-readable RESULT line (latencies in microseconds) for the report.
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

local expect = os.getenv("EXPECT") or ""
local delay_ms = tonumber(os.getenv("DELAY_MS") or "")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

if delay_ms then
  function delay()
    return delay_ms
  end
end

function response(status, headers, body)
  if status ~= 200 or (expect ~= "" and not string.find(body, expect, 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do
    wrong = wrong + (t:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rate=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f"
      .. " socket_errors=%d bad_answers=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    latency.mean, e.connect + e.read + e.write + e.timeout, wrong + e.status))
end
