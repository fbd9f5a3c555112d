-- wrk: POST /api/v1/checkin with ticket codes read from a file (one per line), each thread taking
-- its own slice so every scan is a first check-in while codes last.
-- wrk ... -s checkin.lua URL -- TOKEN CODES_FILE
local codes = {}
local threads = {}
local i = 0
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  token = args[1]
  local tid = tonumber(wrk.thread:get("tid")) or 0
  local n = tonumber(args[3] or "2")
  local k = 0
  for line in io.lines(args[2]) do
    if k % n == tid then codes[#codes + 1] = line end
    k = k + 1
  end
end
function request()
  i = i + 1
  local code = codes[((i - 1) % #codes) + 1]
  return wrk.format("POST", "/api/v1/checkin",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
                    '{"ticket_code":"' .. code .. '","device_id":"bench"}')
end
