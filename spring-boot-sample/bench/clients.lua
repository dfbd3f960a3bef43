-- wrk script: GET /products?q=cup as one of 4096 clients behind the trusted proxy (X-Forwarded-For),
-- so a per-client rate limit of 20/s is far from reached and every request takes the admitted path
local n = 0
request = function()
  n = n + 1
  local c = n % 4096
  local addr = "10." .. math.floor(c / 256) .. "." .. (c % 256) .. ".1"
  return wrk.format("GET", "/products?q=cup", { ["X-Forwarded-For"] = addr })
end
