-- ARGV: worker, now. Records a heartbeat of a RUNNING worker; returns the worker's fields. A late copy of an older
-- heartbeat leaves the newer one in place.
local w = ARGV[1]
local v = registered(w)
if v[W.state] == 'RUNNING' and tonumber(ARGV[2]) > (tonumber(v[W.hb]) or 0) then
  v[W.hb] = ARGV[2]
  save_worker(w, v)
end
return read_worker(w)
