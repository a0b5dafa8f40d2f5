-- ARGV: worker, now. Records a heartbeat of a RUNNING worker; returns the worker's fields.
local w = ARGV[1]
local v = registered(w)
if v[W.state] == 'RUNNING' then
  v[W.hb] = ARGV[2]
  save_worker(w, v)
end
return read_worker(w)
