-- wrk script: POST the AdmissionReview in $BODY_FILE to the path in the URL, as kube-apiserver does.
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
wrk.headers["Content-Type"] = "application/json"
f:close()

-- Count answers that are not a patched AdmissionReview, so a broken run is not mistaken for a fast one.
local bad = 0
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"patchType":"JSONPatch"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("answers without a patch or not 200: %d\n", bad))
end
