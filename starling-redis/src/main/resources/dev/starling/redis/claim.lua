-- ARGV: worker, now, request. Returns the claimed task's fields, or nil when the queue is empty or the worker stopped.
return claim_for(ARGV[1], ARGV[2], ARGV[3])
