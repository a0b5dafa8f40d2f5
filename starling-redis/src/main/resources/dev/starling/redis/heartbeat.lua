-- ARGV: worker, now ('' for the server's clock). Records a heartbeat of a RUNNING worker; returns the worker's fields.
-- A late copy of an older heartbeat leaves the newer one in place.
local w = ARGV[1]
local v = registered(w)
local now = server_time(ARGV[2])
if v[W.state] == 'RUNNING' and tonumber(now) > (tonumber(v[W.hb]) or 0) then
  v[W.hb] = now
  save_worker(w, v)
end
return read_worker(w)
