-- ARGV: worker, now ('' for the server's clock). Records a heartbeat of a RUNNING worker; returns the worker's fields.
local w = ARGV[1]
if worker_state(w) == 'RUNNING' then redis.call('HSET', worker_key(w), 'hb', server_time(ARGV[2])) end
return read_worker(w)
