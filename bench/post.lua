-- wrk script: signed-in readers post comments through the real form (CSRF,
-- session, screening). Each request uses the next reader, so no reader hits the
-- flood rule; every body is unique, so the duplicate rule stays quiet too.
-- Needs BENCH_SESSIONS (lines "sessionid csrf_secret masked_token form_stamp"),
-- BENCH_PATH and BENCH_IDS. A form stamp is good for one comment, so each post
-- takes the next of the fresh stamps in BENCH_STAMPS (default: stamps.txt beside
-- BENCH_SESSIONS). BENCH_ROUND, when set, goes into every body, so a later round
-- of the same readers is not taken for repeats of the first.

local threads = {}
local counter = 0
local thread_no = 0

function setup(thread)
  thread:set("no", #threads)
  table.insert(threads, thread)
end

local function letters(n)
  -- Words, not digits: numbers in a comment could look like a phone number.
  local s = ""
  repeat
    s = string.char(97 + n % 26) .. s
    n = math.floor(n / 26)
  until n == 0
  return s
end

function init(args)
  sessions = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS")) do
    local sid, secret, token, stamp = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    if sid and i % 2 == no then
      table.insert(sessions, {sid = sid, secret = secret, token = token, stamp = stamp})
    end
    i = i + 1
  end
  stamps = {}
  local j = 0
  local stamps_file = os.getenv("BENCH_STAMPS")
    or os.getenv("BENCH_SESSIONS"):gsub("sessions%.txt$", "stamps.txt")
  round = os.getenv("BENCH_ROUND") or ""
  for line in io.lines(stamps_file) do
    if j % 2 == no then
      table.insert(stamps, line)
    end
    j = j + 1
  end
  path = os.getenv("BENCH_PATH")
  accepted, refused, errors = 0, 0, 0
  -- The id of every accepted comment, so the bench can check each is stored once.
  ids = io.open(os.getenv("BENCH_IDS") .. "." .. no, "w")
end

function request()
  counter = counter + 1
  local s = sessions[(counter % #sessions) + 1]
  local stamp = stamps[((counter - 1) % #stamps) + 1]
  local body = "csrfmiddlewaretoken=" .. s.token .. "&ts=" .. stamp .. "&website=" ..
    "&body=Bench+note+" .. round .. letters(no) .. "+" .. letters(counter) ..
    "+about+the+article+and+what+it+means+for+" .. letters(counter * 7 + 3)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. s.sid .. "; csrftoken=" .. s.secret,
  }, body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  local id = location:match("^/comments/(%d+)/")
  if status == 302 and id then
    accepted = accepted + 1
    ids:write(id, "\n")
    ids:flush()
  elseif status == 302 then
    refused = refused + 1
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local a, r, e = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
    e = e + t:get("errors")
  end
  io.write(string.format("BENCH accepted=%d refused=%d errors=%d\n", a, r, e))
end
