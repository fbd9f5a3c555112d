-- wrk: POST /api/v1/checkin with ticket codes read from a file (one per line), each thread taking
-- its own slice so every scan is a first check-in while codes last.
-- wrk ... -s checkin.lua URL -- TOKEN CODES_FILE [THREADS]
-- The requests are written out in init (before wrk starts timing): the load generator shares the
-- server's cores, so what it spends per request is taken from the server.
local requests = {}
local threads = {}
local i = 0
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  local token = args[1]
  local tid = tonumber(wrk.thread:get("tid")) or 0
  local n = tonumber(args[3] or "2")
  local head = wrk.format("POST", "/api/v1/checkin", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token})
  head = head:sub(1, #head - 2)  -- without the blank line that ends the head
  local k = 0
  for line in io.lines(args[2]) do
    if k % n == tid then
      local body = '{"ticket_code":"' .. line .. '","device_id":"bench"}'
      requests[#requests + 1] = head .. "Content-Length: " .. #body .. "\r\n\r\n" .. body
    end
    k = k + 1
  end
end
function request()
  i = i + 1
  return requests[((i - 1) % #requests) + 1]
end
