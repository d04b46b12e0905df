// Lua for every read-modify-write of the Redis store: a script runs alone on the server, so two bot
// instances cannot interleave between a read and the write that depends on it.
//
// Common layout: KEYS[1] is the incident's state (one JSON string), KEYS[2] its evidence list.
// Every write re-sets both keys' expiry, so an incident lives retentionMs after its last activity.
//
// cjson quirks handled here and in parseState: an empty table encodes as `{}` (a timeline with no
// entries comes back as an object), and numbers keep only 14 significant digits, so evidence
// records are never decoded here: the seq is spliced into the caller's JSON as text.

/** ARGV: evidence JSON (an object without seq), fresh state JSON, updatedAt, retentionMs. Returns {seq, created}. */
export const ADD_EVIDENCE = `
local raw = redis.call('GET', KEYS[1])
local created = 0
if raw then
  local state = cjson.decode(raw)
  state.updatedAt = ARGV[3]
  redis.call('SET', KEYS[1], cjson.encode(state), 'PX', ARGV[4])
else
  -- A list without state is what an expired incident left behind: the new incident starts empty.
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
  created = 1
end
local seq = redis.call('LLEN', KEYS[2]) + 1
redis.call('RPUSH', KEYS[2], '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {seq, created}
`;

/**
 * ARGV: summary JSON, updatedAt, retentionMs, timeline limit.
 * Returns {1, state JSON before} when the summary won, {0} when a diagnosis on as much evidence
 * was already stored or there is no incident.
 */
export const RECORD_DIAGNOSIS = `
local raw = redis.call('GET', KEYS[1])
if not raw then return {0} end
local state = cjson.decode(raw)
local new = cjson.decode(ARGV[1])
local old = state.diagnosis
if type(old) ~= 'table' then old = nil end
if old and tonumber(old.basedOn) >= tonumber(new.basedOn) then return {0} end
state.diagnosis = new
if type(state.timeline) ~= 'table' then state.timeline = {} end
if not old or old.cause ~= new.cause or old.team ~= new.team then
  table.insert(state.timeline, {at = new.at, what = 'diagnosis', cause = new.cause, team = new.team, basedOn = new.basedOn})
  while #state.timeline > tonumber(ARGV[4]) do table.remove(state.timeline, 1) end
end
state.updatedAt = ARGV[2]
redis.call('SET', KEYS[1], cjson.encode(state), 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, raw}
`;

/** ARGV: ref, updatedAt, retentionMs. Returns 1 when this call set it. */
export const SET_FIRST_REPLY = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local state = cjson.decode(raw)
if type(state.firstReplyRef) == 'string' then return 0 end
state.firstReplyRef = ARGV[1]
state.updatedAt = ARGV[2]
redis.call('SET', KEYS[1], cjson.encode(state), 'PX', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`;

/** ARGV: status, by, at, updatedAt, retentionMs, timeline limit. Returns 0 when there is no incident. */
export const SET_STATUS = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local state = cjson.decode(raw)
if state.status == ARGV[1] then return 1 end
state.status = ARGV[1]
if type(state.timeline) ~= 'table' then state.timeline = {} end
local what = 'reopened'
if ARGV[1] == 'resolved' then what = 'resolved' end
table.insert(state.timeline, {at = ARGV[3], what = what, by = ARGV[2]})
while #state.timeline > tonumber(ARGV[6]) do table.remove(state.timeline, 1) end
state.updatedAt = ARGV[4]
redis.call('SET', KEYS[1], cjson.encode(state), 'PX', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
`;

/** Returns how many evidence items were deleted. */
export const FORGET = `
local n = redis.call('LLEN', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return n
`;
