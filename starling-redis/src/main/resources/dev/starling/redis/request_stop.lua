-- ARGV: worker, request (TERMINATE or KILL). Raises the stop request of a RUNNING worker; never lowers it.
local rank = {NONE = 0, TERMINATE = 1, KILL = 2}
local v = load_worker(ARGV[1])
if v and v[W.state] == 'RUNNING' and rank[ARGV[2]] > rank[v[W.stop]] then
  v[W.stop] = ARGV[2]
  save_worker(ARGV[1], v)
end
return 1
