-- wrk: POST registrations with unique emails (thread id, random salt and a counter).
-- wrk ... -s register.lua URL -- PATH [MODE] [TAG]; TAG keeps the emails of two wrk processes apart
-- (both start in the same second with the same thread ids, so their random salts would be equal).
-- The request head is formatted once: the load generator shares the server's cores, so what it
-- spends per request is taken from the server.
local counter = 0
local threads = {}
local path = "/api/v1/events/bench/registrations"
local mode = "online"
local tag = ""
local head = ""
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  if args[1] then path = args[1] end
  if args[2] then mode = args[2] end
  if args[3] then tag = args[3] end
  tid = tonumber(wrk.thread:get("tid")) or 0
  math.randomseed(os.time() * 1000 + tid)
  salt = math.random(1, 1000000000)
  head = wrk.format("POST", path, {["Content-Type"] = "application/json"})
  head = head:sub(1, #head - 2) .. "Content-Length: "  -- without the blank line that ends the head
end
function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench Person %d","email":"b%s%d.%d.%d@bench.example.org","mode":"%s","language":"en","consent":true}',
                             counter, tag, tid, salt, counter, mode)
  return head .. #body .. "\r\n\r\n" .. body
end
