-- wrk script: POST a registration with a distinct email per request into one session.
-- Arguments after `--`: SESSION_ID, an email prefix, and optionally how many registrations each
-- thread sends before it stops (to fill a session up to a size instead of measuring a duration).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  session = args[1]
  prefix = args[2] or "bench"
  limit = tonumber(args[3] or "0")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench Delegate","email":"%s-%d-%d@example.org","organisation":"Ministry of ICT",' ..
    '"job_title":"Director","country":"KE","stakeholder_category":"policy_maker",' ..
    '"attendance":"remote","consent_directory":true}', prefix, id, counter)
  return wrk.format("POST", "/api/v1/sessions/" .. session .. "/registrations", nil, body)
end

function response(status, headers, body)
  if limit > 0 and counter >= limit then
    wrk.thread:stop()
  end
end
