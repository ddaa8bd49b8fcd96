namespace MeshFlow.Distributed.Redis;

/// <summary>
/// The queue's Lua scripts. They run with <c>CommandFlags.NoScriptCache</c> (plain EVAL), so a Redis server that
/// restarted with an empty script cache never answers NOSCRIPT.
/// </summary>
internal static class RedisQueueScripts
{
    /// <summary>
    /// KEYS: runs stream, held hash. ARGV: group, entry id, run key. Acknowledges and deletes the entry; the first
    /// acknowledgement of an entry releases one hold of its run. Returns 1 if this call acknowledged it.
    /// </summary>
    public const string Acknowledge = """
        local acked = redis.pcall('XACK', KEYS[1], ARGV[1], ARGV[2])
        if type(acked) ~= 'number' then acked = 0 end
        redis.call('XDEL', KEYS[1], ARGV[2])
        if acked == 1 and ARGV[3] ~= '' and redis.call('HINCRBY', KEYS[2], ARGV[3], -1) <= 0 then
          redis.call('HDEL', KEYS[2], ARGV[3])
        end
        return acked
        """;

    /// <summary>
    /// KEYS: runs stream, held hash, dead-letter stream. ARGV: group, entry id, run key, request, reason, delivery
    /// count. Like <see cref="Acknowledge"/>, and the acknowledging call also records the entry in the dead-letter
    /// stream.
    /// </summary>
    public const string DeadLetter = """
        local acked = redis.pcall('XACK', KEYS[1], ARGV[1], ARGV[2])
        if type(acked) ~= 'number' then acked = 0 end
        redis.call('XDEL', KEYS[1], ARGV[2])
        if acked == 1 then
          redis.call('XADD', KEYS[3], '*', 'request', ARGV[4], 'reason', ARGV[5], 'delivery_count', ARGV[6], 'original_id', ARGV[2])
          if ARGV[3] ~= '' and redis.call('HINCRBY', KEYS[2], ARGV[3], -1) <= 0 then
            redis.call('HDEL', KEYS[2], ARGV[3])
          end
        end
        return acked
        """;

    /// <summary>KEYS: lease. ARGV: holder token, lease time in ms. Extends the lease only if the token still holds it.</summary>
    public const string ExtendLease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    /// <summary>KEYS: lease. ARGV: holder token. Deletes the lease only if the token still holds it.</summary>
    public const string ReleaseLease = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>
    /// KEYS: runs stream. ARGV: group. The entries not yet delivered: the stream's length less the group's pending
    /// entries (a group not created yet has none).
    /// </summary>
    public const string Depth = """
        local length = redis.call('XLEN', KEYS[1])
        local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1])
        if type(pending) ~= 'table' or pending.err then return length end
        return length - pending[1]
        """;
}
