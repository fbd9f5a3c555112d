-- wrk: POST registrations with unique emails (thread id, random salt and a counter).
-- Path comes from the first script argument: wrk ... -s register.lua URL -- /api/v1/events/bench/registrations
local counter = 0
local threads = {}
local path = "/api/v1/events/bench/registrations"
local mode = "online"
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  if args[1] then path = args[1] end
  if args[2] then mode = args[2] end
  tid = tonumber(wrk.thread:get("tid")) or 0
  math.randomseed(os.time() * 1000 + tid)
  salt = math.random(1, 1000000000)
end
function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench Person %d","email":"b%d.%d.%d@bench.example.org","mode":"%s","language":"en","consent":true}',
                             counter, tid, salt, counter, mode)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
