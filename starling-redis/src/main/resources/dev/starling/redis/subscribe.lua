-- KEYS: the fixed keys, then the channel's reply stream. ARGV: channel, id_1 .. id_n. Opens the channel, points each
-- task's completion to it (unless it is terminal already) and returns the tasks' fields, one task after another;
-- unknown ids are left out.
redis.call('SADD', K.channels, ARGV[1])
local r = {}
for i = 2, #ARGV do
  local t = load_task(ARGV[i])
  if t then
    if t[T.s] == 'QUEUED' or t[T.s] == 'RUNNING' then
      t[T.r] = ARGV[1]
      save_task(ARGV[i], t)
    end
    append_task(r, read_task(ARGV[i]))
  end
end
return r
