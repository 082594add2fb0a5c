-- post.lua: wrk script for bench/webhook.sh. POSTs the file named by $BODY as
-- application/json on every request; with $DELAY_MS set, each connection waits that
-- many milliseconds after a response before sending its next request (a paced load).
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
