-- post.lua: wrk script for bench/webhook.sh. POSTs the file named by $BODY as
-- application/json on every request; with $DELAY_MS set, each connection waits that
-- many milliseconds after a response before sending its next request (a paced load).
-- With $VARY set, every request carries a different pod: the value of its "version"
-- label becomes unique per request (thread number and counter), as the pods of many
-- workloads in a rollout differ, so no answer memo can serve it.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
	function delay()
		return pause
	end
end

if os.getenv("VARY") then
	local threads = 0
	function setup(thread)
		threads = threads + 1
		thread:set("tid", threads)
	end

	-- The label is the last of the pod's labels; the request's kind has a "version" too.
	local labels = assert(wrk.body:find('"labels":{', 1, true), "post.lua: no labels in the review")
	local label = '"version":"v1"}'
	local at = assert(wrk.body:find(label, labels, true), "post.lua: no version label in the review")
	local head = wrk.body:sub(1, at - 1)
	local tail = wrk.body:sub(at + #label - 1)
	local n = 0
	function request()
		n = n + 1
		local body = head .. '"version":"v' .. (tid or 0) .. "-" .. n .. '"' .. tail
		return wrk.format(nil, nil, nil, body)
	end
end
