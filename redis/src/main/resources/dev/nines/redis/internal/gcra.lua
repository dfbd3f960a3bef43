-- nines: one GCRA decision over every limit of a call, all or nothing, in one round trip.
-- KEYS[i]: the state of limit i (all sharing one hash tag). A state is "seconds:nanoseconds", the
-- instant the bucket is (or will be) empty, on Redis's clock; a missing key is a full bucket.
-- ARGV: minPermits, maxPermits, maxWaitNanos, then per limit: costNanos (one permit), capNanos
-- (burst x cost). Takes g permits, minPermits <= g <= maxPermits, the most every limit allows
-- within maxWaitNanos; refuses (takes nothing) if that is fewer than minPermits.
-- Returns {granted 0/1, taken, remaining, waitNanos, bindingIndex (0-based)}.
local t = redis.call('TIME')
local nowS = tonumber(t[1])
local nowN = tonumber(t[2]) * 1000
local minP = tonumber(ARGV[1])
local maxP = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local n = #KEYS
local B = 1000000000

-- floor(a / b) for integers below 2^53, exact (a double quotient may round up across an integer)
local function fdiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then q = q - 1 elseif (q + 1) * b <= a then q = q + 1 end
  return q
end

local off, cost, cap = {}, {}, {}
local g = maxP
for i = 1, n do
  cost[i] = tonumber(ARGV[2 + 2 * i])
  cap[i] = tonumber(ARGV[3 + 2 * i])
  local o = -cap[i]
  local v = redis.call('GET', KEYS[i])
  if v then
    local s, ns = string.match(v, '^(%-?%d+):(%d+)$')
    if s then
      local d = (nowS - tonumber(s)) * B + (nowN - tonumber(ns))
      if d < cap[i] then o = -d end
    end
  end
  off[i] = o
  local a = fdiv(maxWait - o, cost[i])
  if a < g then g = a end
end

if g >= minP then
  local remaining, binding, wait = nil, 0, 0
  for i = 1, n do
    local no = off[i] + g * cost[i]
    if g > 0 then
      local total = nowN + no
      local q = fdiv(total, B)
      local px = fdiv(no + cap[i] + 999999, 1000000)
      if px < 1 then px = 1 end
      redis.call('SET', KEYS[i], string.format('%.0f:%.0f', nowS + q, total - q * B), 'PX', string.format('%.0f', px))
    end
    if no > wait then wait = no end
    local r = fdiv(-no, cost[i])
    if r < 0 then r = 0 end
    if remaining == nil or r < remaining then remaining = r; binding = i - 1 end
  end
  return {1, g, remaining, wait, binding}
end

local remaining, binding, wait = nil, 0, 0
for i = 1, n do
  local w = off[i] + minP * cost[i]
  if w > wait then wait = w; binding = i - 1 end
  local r = fdiv(-off[i], cost[i])
  if r < 0 then r = 0 end
  if remaining == nil or r < remaining then remaining = r end
end
return {0, 0, remaining, wait, binding}
